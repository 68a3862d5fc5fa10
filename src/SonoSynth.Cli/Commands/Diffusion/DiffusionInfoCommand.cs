using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion info`: a preset's configuration and exact parameter count, computed without building the network.</summary>
public static class DiffusionInfoCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"U-Net preset: {string.Join(", ", UNetConfig.Presets.Keys)}; or with --classifier: {string.Join(", ", NoiseClassifierConfig.Presets.Keys)}.", DefaultValueFactory = _ => "adm128" };
        var inChannels = new Option<int>("--in-channels") { Description = "Image channels (1 = grayscale ultrasound, 3 = RGB as in guided-diffusion).", DefaultValueFactory = _ => 1 };
        var numClasses = new Option<int>("--num-classes") { Description = "Classes of a class-conditional U-Net or of the classifier (1000 = ImageNet as in guided-diffusion; 6 = fetal planes).", DefaultValueFactory = _ => 1000 };
        var modelFlags = new UNetFlagOptions();
        var classifierFlags = new ClassifierFlagOptions(withImageSize: false);
        var classifier = new Option<bool>("--classifier") { Description = "Describe the noise-aware classifier preset instead of the U-Net." };
        var json = SharedOptions.Json();
        var command = new Command("info", "Print a preset's configuration and exact parameter count. Example: " +
            "'sonosynth diffusion info --preset adm128 --in-channels 3 --class-cond --learn-sigma' gives guided-diffusion's 421,529,606.");
        foreach (var option in new Option[] { preset, inChannels, numClasses, classifier, json }) command.Options.Add(option);
        modelFlags.AddTo(command);
        classifierFlags.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            if (parse.GetValue(inChannels) < 1) throw new ArgumentException("--in-channels must be at least 1.");
            object config;
            long count;
            if (parse.GetValue(classifier))
            {
                var c = classifierFlags.Config(parse, parse.GetValue(preset)!, modelFlags.Read(parse).ImageSize) with
                {
                    InChannels = parse.GetValue(inChannels), ClassCount = parse.GetValue(numClasses),
                };
                c.Validate();
                (config, count) = (c, ParameterCounts.Of(c));
            }
            else
            {
                var c = modelFlags.Config(parse, parse.GetValue(preset)!) with { InChannels = parse.GetValue(inChannels) };
                if (c.ClassCount > 0) c = c with { ClassCount = parse.GetValue(numClasses) };
                c.Validate();
                (config, count) = (c, ParameterCounts.Of(c));
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Print(new { preset = parse.GetValue(preset), config, parameters = count });
                return 0;
            }
            var table = new Table().AddColumn("setting").AddColumn("value");
            foreach (var property in config.GetType().GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public))
            {
                var value = property.GetValue(config);
                if (value is null || property.Name == "EqualityContract" || property.PropertyType.IsGenericType) continue;
                var text = value switch
                {
                    int[] array => string.Join(",", array),
                    double[] multipliers => string.Join(",", multipliers.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    _ => value.ToString() ?? "",
                };
                table.AddRow(property.Name, Markup.Escape(text));
            }
            table.AddRow("[bold]parameters[/]", $"[bold]{count:N0}[/]");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
