using System.CommandLine;
using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Models;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Model;

/// <summary><c>sonosynth model import</c>: a torchvision-format state dict (trained in PyTorch) → a .sonomodel for 'classify predict'.</summary>
public static class ModelImportCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = $"Architecture of the state dict: {string.Join(", ", ClassifierRegistry.Names)}.", Required = true };
        var weights = new Option<string>("--weights") { Description = "torch.save(model.state_dict()) file with torchvision names.", Required = true };
        var classes = new Option<string[]>("--classes") { Description = "Class names in logit order (default: the six FETAL_PLANES_DB planes).", AllowMultipleArgumentsPerToken = true };
        var imageSize = new Option<int>("--image-size") { Description = "Input size the model was trained at.", DefaultValueFactory = _ => 128 };
        var output = new Option<string>("--out") { Description = "Output .sonomodel file.", Required = true };
        var command = new Command("import", "Import PyTorch weights as a SonoSynth model file. The first conv may be 1- or 3-channel (RGB weights are summed to gray). " +
            "Every tensor must fit, the head included.\nExample: sonosynth model import --arch resnet50 --weights r50.pt --out r50.sonomodel");
        foreach (var option in new Option[] { arch, weights, classes, imageSize, output }) command.Options.Add(option);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var architecture = parse.GetValue(arch)!;
            if (!ClassifierRegistry.Contains(architecture))
                throw new InputError($"Unknown --arch '{architecture}'. Choose one of: {string.Join(", ", ClassifierRegistry.Names)}.");
            var classNames = parse.GetValue(classes) is { Length: > 0 } given ? given : PlaneClasses.Names.ToArray();
            var path = parse.GetValue(weights)!;
            using var model = ClassifierRegistry.Create(architecture, new ClassifierConfig(1, classNames.Length, parse.GetValue(imageSize)));
            var report = PretrainedWeights.LoadTorchvision(model, path);
            if (report.Skipped.Count > 0)
                throw new InputError($"'{path}' has a head for another class count than the {classNames.Length} --classes ({string.Join(", ", report.Skipped)}). " +
                    "Pass the classes the model was trained on, in logit order.");
            ModelBundle.Save(parse.GetValue(output)!, model, classNames, Provenance.Now(Path.GetFullPath(path),
                new Dictionary<string, string> { ["imported"] = report.Summary }), architecture);
            AnsiConsole.MarkupLine($"{Markup.Escape(report.Summary)}. Model: [blue]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        }));
        return command;
    }
}
