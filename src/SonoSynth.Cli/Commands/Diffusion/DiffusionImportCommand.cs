using System.CommandLine;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.Interop;
using SonoSynth.IO;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion import`: a guided-diffusion checkpoint (U-Net or classifier) as a SonoSynth checkpoint.bin.</summary>
public static class DiffusionImportCommand
{
    public static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "A guided-diffusion checkpoint: 128x128_diffusion.pt, 128x128_classifier.pt, 256x256_diffusion_uncond.pt, … (a U-Net or a classifier, told apart by its keys).", Required = true };
        var output = DiffusionOptions.Out("checkpoint.bin");
        var preset = DiffusionOptions.Preset("U-Net flags (the checkpoint's README MODEL_FLAGS)", "adm128", UNetConfig.Presets.Keys);
        var classifierPreset = new Option<string>("--classifier-preset") { Description = $"Classifier flags: {string.Join(", ", NoiseClassifierConfig.Presets.Keys)}.", DefaultValueFactory = _ => "classifier128" };
        var modelFlags = new UNetFlagOptions();
        var classifierFlags = new ClassifierFlagOptions(withImageSize: false);
        var schedule = DiffusionOptions.Schedule();
        var diffusionSteps = DiffusionOptions.DiffusionSteps();
        var classNames = new Option<string?>("--class-names") { Description = "A text file with one class name per line, in the checkpoint's label order (default: 0, 1, …)." };
        var command = new Command("import", "Convert a guided-diffusion checkpoint into a SonoSynth checkpoint.bin that 'diffusion sample' " +
            "uses (and 'diffusion train --resume' fine-tunes). Keys must match by name and shape. Example: 'sonosynth diffusion import " +
            "--weights 128x128_diffusion.pt --preset adm128 --out runs/imagenet128'; for 256x256_diffusion.pt pass --preset adm256.");
        foreach (var option in new Option[] { weights, output, preset, classifierPreset, schedule, diffusionSteps, classNames })
            command.Options.Add(option);
        modelFlags.AddTo(command);
        classifierFlags.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var path = parse.GetValue(weights)!;
            if (!File.Exists(path)) throw new InputError($"--weights '{path}' does not exist.");
            if (!GuidedDiffusionImport.IsPyTorchFile(path))
                throw new InputError($"'{path}' is not a PyTorch checkpoint (torch.save). Pass a guided-diffusion .pt file.");
            var names = parse.GetValue(classNames) is { } file
                ? File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0).ToList() : null;
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            using var folderLock = OutputFolderLock.Acquire(folder);
            var checkpoint = Path.Combine(folder, DiffusionCheckpoint.FileName);
            if (File.Exists(checkpoint)) throw new InputError($"'{checkpoint}' already exists; choose another --out folder.");
            // A classifier has no output blocks.
            bool tensorsAreUNet;
            var tensors = StateDictFile.Read(path);
            try { tensorsAreUNet = GuidedDiffusionWeights.IsUNet(tensors); }
            finally { foreach (var tensor in tensors.Values) tensor.Dispose(); }
            string description;
            if (tensorsAreUNet)
            {
                var (model, header) = GuidedDiffusionImport.UNet(path, modelFlags.Config(parse, parse.GetValue(preset)!),
                    parse.GetValue(schedule), parse.GetValue(diffusionSteps), names);
                using (model) GuidedDiffusionImport.Save(checkpoint, model, header);
                description = $"U-Net, {header.Config.InChannels} channel(s), {header.Config.ImageSize} px, " +
                    $"{(header.Config.ClassCount > 0 ? $"{header.Config.ClassCount} classes" : "unconditional")}, " +
                    $"{(header.Config.LearnSigma ? "learned σ" : "fixed σ")}, {ParameterCounts.Of(header.Config):N0} parameters";
            }
            else
            {
                var flags = classifierFlags.Config(parse, parse.GetValue(classifierPreset)!, modelFlags.Read(parse).ImageSize);
                var (model, header) = GuidedDiffusionImport.Classifier(path, flags, parse.GetValue(schedule), parse.GetValue(diffusionSteps), names);
                using (model) GuidedDiffusionImport.Save(checkpoint, model, header);
                description = $"noise-aware classifier, {header.Config.InChannels} channel(s), {header.Config.ImageSize} px, {header.Config.ClassCount} classes, " +
                    $"{ParameterCounts.Of(header.Config):N0} parameters";
            }
            AnsiConsole.MarkupLine($"Imported {Markup.Escape(description)}: [bold]{Markup.Escape(checkpoint)}[/]");
            return 0;
        }));
        return command;
    }
}
