using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.IO;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion train-classifier`: the noise-aware classifier for classifier guidance, with accuracy per band of t.</summary>
public static class DiffusionTrainClassifierCommand
{
    public static Command Create()
    {
        var data = DiffusionOptions.Data();
        var output = DiffusionOptions.Out("checkpoint.bin, loss.csv and accuracy_by_t.csv");
        var preset = DiffusionOptions.Preset("Classifier (classifier128 is guided-diffusion's 128 px classifier, the paper's)", "cpu-tiny", NoiseClassifierConfig.Presets.Keys);
        var classifierFlags = new ClassifierFlagOptions(withImageSize: true);
        var steps = DiffusionOptions.Steps(5_000);
        var budget = DiffusionOptions.TimeBudget();
        var batch = DiffusionOptions.BatchSize(16);
        var lr = DiffusionOptions.LearningRate(3e-4);
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (guided-diffusion's classifier flags: 0.05).", DefaultValueFactory = _ => 0.05 };
        var clip = DiffusionOptions.GradientClip();
        var flip = DiffusionOptions.Flip();
        var schedule = DiffusionOptions.Schedule();
        var diffusionSteps = DiffusionOptions.DiffusionSteps();
        var checkpointEvery = DiffusionOptions.CheckpointEvery();
        var bands = new Option<int>("--bands") { Description = "Report accuracy in this many equal bands of t.", DefaultValueFactory = _ => 4 };
        var annealLr = new Option<bool>("--anneal-lr") { Description = "Lower the learning rate linearly to 0 over --steps (guided-diffusion's --anneal_lr; its classifier recipe: True)." };
        var randomCrop = new Option<bool>("--random-crop") { Description = "Scale each image by a random factor in [1, 1.25] and crop it back (guided-diffusion's random_crop, on in classifier_train.py)." };
        var microbatch = new Option<int>("--microbatch") { Description = "Run the batch in slices of this many images whose gradients add up (guided-diffusion's --microbatch), e.g. --batch-size 256 --microbatch 32 on a small GPU; 0 = whole batch.", DefaultValueFactory = _ => 0 };
        var useCheckpoint = DiffusionOptions.UseCheckpoint();
        var resume = DiffusionOptions.Resume();
        var skipBad = DiffusionOptions.SkipBad();
        var runtime = new RuntimeOptions();
        var command = new Command("train-classifier", "Train the noise-aware classifier p(y | x_t, t) used for classifier guidance. " +
            "Example: 'sonosynth diffusion train-classifier --data phantom/ --out runs/classifier --preset cpu-tiny --steps 1000'.");
        foreach (var option in new Option[] { data, output, preset, steps, budget, batch, lr, weightDecay, clip, flip, schedule,
                     diffusionSteps, checkpointEvery, bands, annealLr, randomCrop, microbatch, useCheckpoint, resume, skipBad })
            command.Options.Add(option);
        classifierFlags.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var config = classifierFlags.Config(parse, parse.GetValue(preset)!) with { UseCheckpoint = parse.GetValue(useCheckpoint) };
            var options = new NoiseClassifierTrainingOptions(parse.GetValue(steps), DiffusionOptions.Minutes(parse.GetValue(budget)),
                parse.GetValue(batch), parse.GetValue(lr), parse.GetValue(weightDecay), parse.GetValue(clip), parse.GetValue(flip),
                parse.GetValue(schedule), parse.GetValue(diffusionSteps), parse.GetValue(checkpointEvery), parse.GetValue(bands),
                Seed: runtime.GetSeed(parse), AnnealLearningRate: parse.GetValue(annealLr), RandomCrop: parse.GetValue(randomCrop),
                Microbatch: parse.GetValue(microbatch));
            options.Validate();
            var folder = parse.GetValue(output)!;
            using var folderLock = OutputFolderLock.Acquire(folder);
            ClassifierTrainingResult Train(IProgress<ProgressUpdate>? progress)
            {
                using var dataset = DataSources.Open(parse.GetValue(data)!, config.ImageSize, parse.GetValue(skipBad), progress);
                return new NoiseClassifierTrainer(config, options, folder, torchDevice).Train(dataset.Images, resume: parse.GetValue(resume), progress: progress);
            }
            // With --json, stdout carries only the JSON document.
            var result = runtime.GetJson(parse) ? Train(null) : ProgressDisplay.Run(progress => Train(progress));
            if (runtime.GetJson(parse))
            {
                JsonOutput.Print(result);
                return 0;
            }
            var table = new Table().AddColumn("t band").AddColumn("images").AddColumn("accuracy");
            foreach (var band in result.AccuracyByBand)
                table.AddRow(Markup.Escape($"[{band.FromTimestep}, {band.ToTimestep})"), band.Images.ToString(), $"{band.Accuracy:P1}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Stopped at step {result.Step} ({Markup.Escape(result.StopReason)}). Checkpoint: [bold]{Markup.Escape(result.CheckpointPath)}[/]");
            return 0;
        }));
        return command;
    }
}
