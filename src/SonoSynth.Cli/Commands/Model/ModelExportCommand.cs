using System.CommandLine;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Training;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Model;

/// <summary><c>sonosynth model export</c>: a run folder or bundle → a PyTorch state dict or a self-describing .sonomodel file.</summary>
public static class ModelExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A 'classify train' output folder or a .sonomodel file.", Required = true };
        var format = new Option<string>("--format") { Description = "pytorch (a torch.load-able state dict with torchvision names) or bundle (a .sonomodel file for 'classify predict').", DefaultValueFactory = _ => "pytorch" };
        var output = new Option<string>("--out") { Description = "Output file (e.g. resnet50.pt or resnet50.sonomodel).", Required = true };
        var command = new Command("export", "Export a trained model. --format pytorch writes torch.save(state_dict) with torchvision's key names " +
            "(load it with torchvision's model built with a 1-channel first conv, see docs/pytorch-interop.md); --format bundle writes weights with " +
            "architecture, classes and preprocessing in one file.\nExample: sonosynth model export --model runs/r50-s0 --format pytorch --out r50.pt");
        foreach (var option in new Option[] { model, format, output }) command.Options.Add(option);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var outPath = parse.GetValue(output)!;
            var chosen = parse.GetValue(format)!.Trim().ToLowerInvariant();
            if (chosen is not ("pytorch" or "bundle"))
                throw new InputError($"--format '{chosen}': choose pytorch or bundle.");
            using var bundle = TrainedModel.Load(parse.GetValue(model)!);
            if (chosen == "pytorch")
            {
                StateDictFile.Write(bundle.Model, outPath);
                AnsiConsole.MarkupLine($"PyTorch state dict of a {bundle.Info.Architecture} ({bundle.Info.InChannels} channel, {bundle.Info.NumClasses} classes: " +
                    $"{Markup.Escape(string.Join(", ", bundle.ClassNames))}): [blue]{Markup.Escape(outPath)}[/]");
            }
            else
            {
                ModelBundle.Save(outPath, bundle.Model, bundle.ClassNames, bundle.Info.Provenance, bundle.Info.Architecture);
                AnsiConsole.MarkupLine($"Model bundle ({bundle.Info.Architecture}, {bundle.Info.ImageSize} px): [blue]{Markup.Escape(outPath)}[/]");
            }
            return 0;
        }));
        return command;
    }
}
