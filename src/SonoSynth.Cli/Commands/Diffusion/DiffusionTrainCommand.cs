using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.Interop;
using SonoSynth.IO;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion train`: trains the ADM U-Net on ε-prediction MSE, with checkpoints, sample grids and exact resume.</summary>
public static class DiffusionTrainCommand
{
    public static Command Create()
    {
        var data = DiffusionOptions.Data();
        var output = DiffusionOptions.Out("checkpoint.bin, loss.csv and samples/");
        var preset = DiffusionOptions.Preset("U-Net (adm128 is guided-diffusion's 128×128 model, the paper's; it needs a GPU)", "cpu-tiny", UNetConfig.Presets.Keys);
        var modelFlags = new UNetFlagOptions();
        var precision = DiffusionOptions.Precision();
        var initFrom = new Option<string?>("--init-from") { Description = "Start from a guided-diffusion checkpoint (e.g. 128x128_diffusion.pt; pass its flags or --preset): RGB input and output convolutions become gray, the class embedding is new." };
        var steps = DiffusionOptions.Steps(10_000);
        var budget = DiffusionOptions.TimeBudget();
        var batch = DiffusionOptions.BatchSize(16);
        var lr = DiffusionOptions.LearningRate(1e-4);
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 0.0 };
        var emaRate = new Option<double>("--ema-rate") { Description = "EMA rate of the weights used for sampling.", DefaultValueFactory = _ => 0.9999 };
        var emaWarmup = new Option<bool>("--ema-warmup") { Description = "Ramp the EMA decay up as min(rate, (1+n)/(10+n)) (diffusers), so short runs do not " +
            "sample from weights that are still mostly the random initialisation; false = guided-diffusion's constant rate.", DefaultValueFactory = _ => true };
        var clip = DiffusionOptions.GradientClip();
        var unconditional = new Option<bool>("--unconditional") { Description = "Ignore the labels, as --class-cond False (default: class-conditional, as in the paper)." };
        var labelDropout = new Option<double>("--label-dropout") { Description = "Replace labels by a null label with this probability, for classifier-free guidance (e.g. 0.1).", DefaultValueFactory = _ => 0.0 };
        var flip = DiffusionOptions.Flip();
        var schedule = DiffusionOptions.Schedule();
        var diffusionSteps = DiffusionOptions.DiffusionSteps();
        var checkpointEvery = DiffusionOptions.CheckpointEvery();
        var sampleEvery = new Option<int>("--sample-every") { Description = "Write a sample grid (EMA weights, DDIM) every N steps.", DefaultValueFactory = _ => 1000 };
        var useCheckpoint = DiffusionOptions.UseCheckpoint();
        var resume = DiffusionOptions.Resume();
        var skipBad = DiffusionOptions.SkipBad();
        var runtime = new RuntimeOptions(json: false);
        var command = new Command("train", "Train the diffusion U-Net on your images. Example: 'sonosynth diffusion train --data " +
            "phantom/ --out runs/unet --preset cpu-tiny --steps 2000'. Rerun with --resume after a stop to continue exactly.");
        foreach (var option in new Option[] { data, output, preset, steps, budget, batch, lr, weightDecay, emaRate, emaWarmup, clip,
                     unconditional, labelDropout, flip, schedule, diffusionSteps, checkpointEvery, sampleEvery, useCheckpoint, precision, initFrom, resume, skipBad })
            command.Options.Add(option);
        modelFlags.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var config = modelFlags.Config(parse, parse.GetValue(preset)!) with { UseCheckpoint = parse.GetValue(useCheckpoint) };
            bool classConditional = !parse.GetValue(unconditional) && (modelFlags.ClassCond(parse) ?? config.ClassCount > 0);
            var computePrecision = ComputePrecisionExtensions.Parse(parse.GetValue(precision)!);
            computePrecision.CheckSupported(torchDevice);
            if (parse.GetValue(initFrom) is { } init && !File.Exists(init))
                throw new InputError($"--init-from '{init}' does not exist. Pass a guided-diffusion checkpoint such as 128x128_diffusion.pt.");
            var options = new DiffusionTrainingOptions(parse.GetValue(steps), DiffusionOptions.Minutes(parse.GetValue(budget)),
                parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(weightDecay), parse.GetValue(emaRate), parse.GetValue(clip),
                classConditional, parse.GetValue(labelDropout), parse.GetValue(flip), parse.GetValue(schedule),
                parse.GetValue(diffusionSteps), parse.GetValue(checkpointEvery), parse.GetValue(sampleEvery), Seed: runtime.GetSeed(parse),
                Precision: computePrecision, InitFrom: parse.GetValue(initFrom), EmaWarmup: parse.GetValue(emaWarmup));
            options.Validate();
            var folder = parse.GetValue(output)!;
            using var folderLock = OutputFolderLock.Acquire(folder);
            var result = ProgressDisplay.Run(progress =>
            {
                using var dataset = DataSources.Open(parse.GetValue(data)!, config.ImageSize, parse.GetValue(skipBad), progress);
                var trainer = new DiffusionTrainer(config, options, folder, torchDevice)
                {
                    Initialize = options.InitFrom is { } init ? model => GuidedDiffusionWeights.InitFromFile(model, init).Summary : null,
                };
                return trainer.Train(dataset.Images, parse.GetValue(resume), progress);
            });
            if (result.Initialization is { } adapted)
                AnsiConsole.MarkupLine($"Started from [bold]{Markup.Escape(parse.GetValue(initFrom)!)}[/]:\n{Markup.Escape(adapted)}");
            AnsiConsole.MarkupLine($"Stopped at step {result.Step} ({Markup.Escape(result.StopReason)}), last loss {result.LastLoss:G4}. " +
                $"Checkpoint: [bold]{Markup.Escape(result.CheckpointPath)}[/]");
            return 0;
        }));
        return command;
    }
}
