using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Diffusion.Generation;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Training;
using SonoSynth.Interop;
using SonoSynth.IO;
using Spectre.Console;
using TorchSharp;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion sample`: N images per class in rounds, as PNGs plus manifest.csv; rerunning fills the gaps.</summary>
public static class DiffusionSampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint.bin of a trained U-Net ('diffusion train'), or a guided-diffusion checkpoint (e.g. 128x128_diffusion.pt) with its flags or --preset.", Required = true };
        var output = DiffusionOptions.Out("round<r>/<class>/<index>.png and manifest.csv");
        var perClass = new Option<int>("--per-class") { Description = "Images per class per round (the paper: 5000).", DefaultValueFactory = _ => 16 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (the paper: 2), each with its own seeds.", DefaultValueFactory = _ => 1 };
        var classes = new Option<string[]>("--class") { Description = "Generate only these classes (names as in the training data); repeat the option for several.", AllowMultipleArgumentsPerToken = true };
        var sampler = new Option<SamplerKind>("--sampler") { Description = "Ddim or Ddpm (ancestral).", DefaultValueFactory = _ => SamplerKind.Ddim };
        var respacing = new Option<string>("--timestep-respacing") { Description = "Which timesteps to visit, guided-diffusion syntax: 'ddim50', '250', '10,15,20', '' = all.", DefaultValueFactory = _ => "ddim50" };
        var sigmaSmall = new Option<bool>("--sigma-small")
        {
            Description = "DDPM with σ²_t = β̃_t (guided-diffusion's sigma_small) instead of β_t, for a U-Net with fixed variances. " +
                "With few steps (e.g. --timestep-respacing 25) it leaves far less noise in the images.",
        };
        var eta = new Option<double>("--eta") { Description = "DDIM η (0 = deterministic).", DefaultValueFactory = _ => 0.0 };
        var classifier = new Option<string?>("--classifier") { Description = "checkpoint.bin of a noise-aware classifier ('diffusion train-classifier') for classifier guidance, or a guided-diffusion one (e.g. 128x128_classifier.pt) with its --classifier-* flags." };
        var preset = DiffusionOptions.Preset("U-Net flags for a guided-diffusion --model file", "adm128", UNetConfig.Presets.Keys);
        var classifierPreset = new Option<string>("--classifier-preset") { Description = $"Classifier flags for a guided-diffusion --classifier file: {string.Join(", ", NoiseClassifierConfig.Presets.Keys)}.", DefaultValueFactory = _ => "classifier128" };
        var modelFlags = new UNetFlagOptions();
        var classifierFlags = new ClassifierFlagOptions(withImageSize: false);
        var schedule = DiffusionOptions.Schedule();
        var diffusionSteps = DiffusionOptions.DiffusionSteps();
        var precision = DiffusionOptions.Precision();
        var classifierScale = new Option<double>("--classifier-scale") { Description = "Classifier guidance scale s (needs --classifier; 0 = class-conditional without guidance).", DefaultValueFactory = _ => 0.0 };
        var cfgWeight = new Option<double>("--cfg-weight") { Description = "Classifier-free guidance weight w (needs a U-Net trained with --label-dropout).", DefaultValueFactory = _ => 0.0 };
        var rawWeights = new Option<bool>("--raw-weights") { Description = "Sample with the raw weights instead of the EMA weights." };
        var batch = DiffusionOptions.BatchSize(16);
        var runtime = new RuntimeOptions(json: false);
        var command = new Command("sample", "Generate a synthetic data set. Example: 'sonosynth diffusion sample --model runs/unet/checkpoint.bin " +
            "--classifier runs/classifier/checkpoint.bin --classifier-scale 1 --per-class 5000 --rounds 2 --out synthetic/'. " +
            "Rerunning the same command fills in missing images and never duplicates.");
        foreach (var option in new Option[] { model, output, perClass, rounds, classes, sampler, respacing, sigmaSmall, eta, classifier, classifierScale,
                     cfgWeight, rawWeights, batch, preset, classifierPreset, schedule, diffusionSteps, precision })
            command.Options.Add(option);
        modelFlags.AddTo(command);
        classifierFlags.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var computePrecision = ComputePrecisionExtensions.Parse(parse.GetValue(precision)!);
            computePrecision.CheckSupported(torchDevice);
            var modelPath = parse.GetValue(model)!;
            if (!File.Exists(modelPath)) throw new InputError($"--model '{modelPath}' does not exist.");
            bool useEma = !parse.GetValue(rawWeights);
            bool fromGuidedDiffusion = GuidedDiffusionImport.IsPyTorchFile(modelPath);
            var (unet, header) = fromGuidedDiffusion
                ? GuidedDiffusionImport.UNet(modelPath, modelFlags.Config(parse, parse.GetValue(preset)!), parse.GetValue(schedule), parse.GetValue(diffusionSteps))
                : DiffusionCheckpoint.Load(modelPath, useEma, torchDevice);
            unet.to(torchDevice);
            using var unetScope = unet;
            AnsiConsole.MarkupLine(fromGuidedDiffusion
                ? $"Sampling with the guided-diffusion weights in '{Markup.Escape(modelPath)}'."
                : $"Sampling with the {Markup.Escape(header.DescribeWeights(useEma))}.");
            NoiseAwareClassifier? guide = null;
            double scale = parse.GetValue(classifierScale);
            if (scale > 0)
            {
                var path = parse.GetValue(classifier) ?? throw new ArgumentException("--classifier-scale > 0 needs --classifier <checkpoint.bin>.");
                if (!File.Exists(path)) throw new InputError($"--classifier '{path}' does not exist.");
                var (loaded, classifierHeader) = GuidedDiffusionImport.IsPyTorchFile(path)
                    ? GuidedDiffusionImport.Classifier(path, classifierFlags.Config(parse, parse.GetValue(classifierPreset)!, unet.Config.ImageSize),
                        header.Options.Schedule, header.Options.DiffusionSteps)
                    : NoiseClassifierTrainer.Load(path, torchDevice);
                loaded.to(torchDevice);
                // An unconditional U-Net (e.g. 256x256_diffusion_uncond.pt) takes its class names from the classifier.
                if (header.ClassNames.Count == 0) header = header with { ClassNames = classifierHeader.ClassNames };
                if (!classifierHeader.ClassNames.SequenceEqual(header.ClassNames))
                    throw new InputError($"The classifier '{path}' knows classes [{string.Join(", ", classifierHeader.ClassNames)}] but the U-Net " +
                        $"[{string.Join(", ", header.ClassNames)}]. Train both on the same data set.");
                guide = loaded;
            }
            else if (unet.Config.ClassCount == 0)
                throw new ArgumentException("This U-Net is unconditional: per-class generation needs --classifier and --classifier-scale > 0, " +
                    "or a U-Net trained without --unconditional.");
            var classIndices = (parse.GetValue(classes) ?? []).Select(name =>
            {
                int index = header.ClassNames.ToList().FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
                return index >= 0 ? index : throw new ArgumentException($"--class '{name}' is not one of: {string.Join(", ", header.ClassNames)}.");
            }).ToArray();
            var options = new SamplingOptions(parse.GetValue(sampler), parse.GetValue(respacing) ?? "", parse.GetValue(eta), scale,
                parse.GetValue(cfgWeight), BatchSize: parse.GetValue(batch), Schedule: header.Options.Schedule,
                DiffusionSteps: header.Options.DiffusionSteps, Precision: computePrecision, SigmaSmall: parse.GetValue(sigmaSmall));
            var generator = new ImageGenerator(unet, options, guide);
            var plan = new BulkGenerationPlan(header.ClassNames, parse.GetValue(perClass), parse.GetValue(rounds), runtime.GetSeed(parse),
                classIndices.Length == 0 ? null : classIndices);
            var folder = parse.GetValue(output)!;
            using var folderLock = OutputFolderLock.Acquire(folder);
            var result = ProgressDisplay.Run(progress => new BulkGenerator(generator, folder).Run(plan, progress));
            guide?.Dispose();
            AnsiConsole.MarkupLine($"Generated {result.Generated} images ({result.AlreadyPresent} were already there). " +
                $"Manifest: [bold]{Markup.Escape(result.ManifestPath)}[/]");
            return 0;
        }));
        return command;
    }
}
