using System.CommandLine;
using System.Text.Json;
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
        var classCond = new Option<bool>("--class-cond") { Description = "Class-conditional U-Net (adds a label embedding)." };
        var numClasses = new Option<int>("--num-classes") { Description = "Classes for --class-cond or the classifier (1000 = ImageNet as in guided-diffusion; 6 = fetal planes).", DefaultValueFactory = _ => 1000 };
        var learnSigma = new Option<bool>("--learn-sigma") { Description = "Learned variances (Improved DDPM): doubles the output channels." };
        var classifier = new Option<bool>("--classifier") { Description = "Describe the noise-aware classifier preset instead of the U-Net." };
        var json = SharedOptions.Json();
        var command = new Command("info", "Print a preset's configuration and exact parameter count. Example: " +
            "'sonosynth diffusion info --preset adm128 --in-channels 3 --class-cond --learn-sigma' gives guided-diffusion's 421,529,606.");
        foreach (var option in new Option[] { preset, inChannels, classCond, numClasses, learnSigma, classifier, json }) command.Options.Add(option);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            if (parse.GetValue(inChannels) < 1) throw new ArgumentException("--in-channels must be at least 1.");
            object config;
            long count;
            if (parse.GetValue(classifier))
            {
                var c = NoiseClassifierConfig.Preset(parse.GetValue(preset)!) with
                {
                    InChannels = parse.GetValue(inChannels), ClassCount = parse.GetValue(numClasses),
                };
                c.Validate();
                (config, count) = (c, ParameterCounts.Of(c));
            }
            else
            {
                var c = UNetConfig.Preset(parse.GetValue(preset)!) with
                {
                    InChannels = parse.GetValue(inChannels), LearnSigma = parse.GetValue(learnSigma),
                    ClassCount = parse.GetValue(classCond) ? parse.GetValue(numClasses) : 0,
                };
                c.Validate();
                (config, count) = (c, ParameterCounts.Of(c));
            }
            if (parse.GetValue(json))
            {
                System.Console.WriteLine(JsonSerializer.Serialize(new { preset = parse.GetValue(preset), config, parameters = count },
                    CheckpointFile.Json));
                return 0;
            }
            var table = new Table().AddColumn("setting").AddColumn("value");
            foreach (var property in config.GetType().GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public))
            {
                var value = property.GetValue(config);
                if (value is null || property.Name == "EqualityContract" || property.PropertyType.IsGenericType) continue;
                var text = value is int[] array ? string.Join(",", array) : value.ToString() ?? "";
                table.AddRow(property.Name, Markup.Escape(text));
            }
            table.AddRow("[bold]parameters[/]", $"[bold]{count:N0}[/]");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
