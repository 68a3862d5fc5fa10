using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Models;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary>`sonosynth classify info`: an architecture's exact parameter count, feature width and head.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch")
        {
            Description = $"Architecture: {string.Join(", ", ClassifierRegistry.Names)}.",
            Required = true,
        };
        var inChannels = new Option<int>("--in-channels")
        { Description = "Input channels (1 = grayscale ultrasound, 3 = RGB).", DefaultValueFactory = _ => 1 };
        var numClasses = new Option<int>("--num-classes")
        { Description = "Number of classes (6 = FETAL_PLANES_DB planes).", DefaultValueFactory = _ => 6 };
        var imageSize = new Option<int>("--image-size")
        { Description = "Input size in pixels (square); ViT's position embedding depends on it.", DefaultValueFactory = _ => 128 };
        var json = SharedOptions.Json();

        var command = new Command("info",
            "Print a classifier's exact parameter count, trainable count, feature width and head name. " +
            "Example: sonosynth classify info --arch resnet50 --in-channels 3 --num-classes 1000 --image-size 224 " +
            "(prints torchvision's 25,557,032).")
        { arch, inChannels, numClasses, imageSize, json };
        command.SetAction(result => CommandAction.Run(() =>
        {
            var name = result.GetValue(arch)!;
            if (!ClassifierRegistry.Contains(name))
                throw new ArgumentException($"--arch {name}: unknown architecture. Choose one of: {string.Join(", ", ClassifierRegistry.Names)}.");
            var options = new ClassifierConfig(result.GetValue(inChannels), result.GetValue(numClasses), result.GetValue(imageSize));
            using var model = ClassifierRegistry.Create(name, options);
            var (total, trainable) = ClassifierRegistry.CountParameters(model);
            if (result.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    arch = name,
                    description = ClassifierRegistry.Describe(name),
                    in_channels = options.InChannels,
                    num_classes = options.NumClasses,
                    image_size = options.ImageSize,
                    parameters = total,
                    trainable_parameters = trainable,
                    feature_count = model.FeatureCount,
                    head = model.HeadName,
                    head_parameters = model.HeadParameters().Sum(p => p.numel()),
                });
                return 0;
            }
            var table = new Table().AddColumn("arch").AddColumn(Markup.Escape(name));
            table.AddRow("description", Markup.Escape(ClassifierRegistry.Describe(name)));
            table.AddRow("input", $"{options.InChannels} x {options.ImageSize} x {options.ImageSize}");
            table.AddRow("classes", options.NumClasses.ToString());
            table.AddRow("parameters", total.ToString("N0"));
            table.AddRow("trainable", trainable.ToString("N0"));
            table.AddRow("feature width", model.FeatureCount.ToString());
            table.AddRow("head", $"{model.HeadName} ({model.HeadParameters().Sum(p => p.numel()):N0} parameters)");
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
