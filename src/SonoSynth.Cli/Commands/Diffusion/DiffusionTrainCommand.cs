using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
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
        var preset = new Option<string>("--preset") { Description = $"U-Net shape: {string.Join(", ", UNetConfig.Presets.Keys)} (adm128 is the paper's and needs a GPU).", DefaultValueFactory = _ => "cpu-tiny" };
        var steps = DiffusionOptions.Steps(10_000);
        var budget = DiffusionOptions.TimeBudget();
        var batch = DiffusionOptions.BatchSize(16);
        var lr = DiffusionOptions.LearningRate(1e-4);
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 0.0 };
        var emaRate = new Option<double>("--ema-rate") { Description = "EMA rate of the weights used for sampling.", DefaultValueFactory = _ => 0.9999 };
        var emaWarmup = new Option<bool>("--ema-warmup") { Description = "Ramp the EMA decay up as min(rate, (1+n)/(10+n)) (diffusers), so short runs do not " +
            "sample from weights that are still mostly the random initialisation; false = guided-diffusion's constant rate.", DefaultValueFactory = _ => true };
        var clip = DiffusionOptions.GradientClip();
        var learnSigma = new Option<bool>("--learn-sigma") { Description = "Learn variances with Improved DDPM's hybrid loss (the paper uses fixed variances)." };
        var unconditional = new Option<bool>("--unconditional") { Description = "Ignore the labels (default: class-conditional, as in the paper)." };
        var labelDropout = new Option<double>("--label-dropout") { Description = "Replace labels by a null label with this probability, for classifier-free guidance (e.g. 0.1).", DefaultValueFactory = _ => 0.0 };
        var flip = DiffusionOptions.Flip();
        var schedule = DiffusionOptions.Schedule();
        var diffusionSteps = DiffusionOptions.DiffusionSteps();
        var checkpointEvery = DiffusionOptions.CheckpointEvery();
        var sampleEvery = new Option<int>("--sample-every") { Description = "Write a sample grid (EMA weights, DDIM) every N steps.", DefaultValueFactory = _ => 1000 };
        var dropout = new Option<double>("--dropout") { Description = "Dropout in the residual blocks (overrides the preset).", DefaultValueFactory = _ => -1.0 };
        var useCheckpoint = DiffusionOptions.UseCheckpoint();
        var resume = DiffusionOptions.Resume();
        var skipBad = DiffusionOptions.SkipBad();
        var runtime = new RuntimeOptions(json: false);
        var command = new Command("train", "Train the diffusion U-Net on your images. Example: 'sonosynth diffusion train --data " +
            "phantom/ --out runs/unet --preset cpu-tiny --steps 2000'. Rerun with --resume after a stop to continue exactly.");
        foreach (var option in new Option[] { data, output, preset, steps, budget, batch, lr, weightDecay, emaRate, emaWarmup, clip, learnSigma,
                     unconditional, labelDropout, flip, schedule, diffusionSteps, checkpointEvery, sampleEvery, dropout, useCheckpoint, resume, skipBad })
            command.Options.Add(option);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var config = UNetConfig.Preset(parse.GetValue(preset)!) with
            {
                LearnSigma = parse.GetValue(learnSigma), UseCheckpoint = parse.GetValue(useCheckpoint),
            };
            if (parse.GetValue(dropout) >= 0) config = config with { Dropout = parse.GetValue(dropout) };
            config.Validate();
            var options = new DiffusionTrainingOptions(parse.GetValue(steps), DiffusionOptions.Minutes(parse.GetValue(budget)),
                parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(weightDecay), parse.GetValue(emaRate), parse.GetValue(clip),
                !parse.GetValue(unconditional), parse.GetValue(labelDropout), parse.GetValue(flip), parse.GetValue(schedule),
                parse.GetValue(diffusionSteps), parse.GetValue(checkpointEvery), parse.GetValue(sampleEvery), Seed: runtime.GetSeed(parse),
                EmaWarmup: parse.GetValue(emaWarmup));
            options.Validate();
            var folder = parse.GetValue(output)!;
            using var folderLock = OutputFolderLock.Acquire(folder);
            var result = ProgressDisplay.Run(progress =>
            {
                using var dataset = DataSources.Open(parse.GetValue(data)!, config.ImageSize, parse.GetValue(skipBad), progress);
                return new DiffusionTrainer(config, options, folder, torchDevice).Train(dataset.Images, parse.GetValue(resume), progress);
            });
            AnsiConsole.MarkupLine($"Stopped at step {result.Step} ({Markup.Escape(result.StopReason)}), last loss {result.LastLoss:G4}. " +
                $"Checkpoint: [bold]{Markup.Escape(result.CheckpointPath)}[/]");
            return 0;
        }));
        return command;
    }
}
