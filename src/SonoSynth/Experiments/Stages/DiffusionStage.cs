using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.TrainingKit;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>Trains a study's diffusion U-Net on its real training rows (resuming from the cell's checkpoint).</summary>
public sealed class DiffusionStage(ExperimentConfig config, StudyLevel level, Device device)
{
    public void Run(CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(data.RowsOf(level, config.Data).Generative);
        var settings = config.Diffusion;
        var preset = UNetConfig.Preset(settings.Preset);
        var unet = preset with
        {
            ImageSize = config.Data.ImageSize,
            LearnSigma = settings.LearnSigma ?? preset.LearnSigma,
            ClassCount = settings.ClassConditional ? data.ClassNames.Count : 0,
            NullLabel = settings.LabelDropout > 0,
        };
        var trainer = new DiffusionTrainer(unet, Options(settings), context.Folder, device);
        trainer.Train(train, resume: File.Exists(trainer.CheckpointPath), context.Progress);
    }

    private static DiffusionTrainingOptions Options(DiffusionSettings settings) => new(
        Steps: settings.TrainSteps, BatchSize: settings.BatchSize, LearningRate: settings.LearningRate,
        EmaRate: settings.EmaRate, EmaWarmup: settings.EmaWarmup,
        ClassConditional: settings.ClassConditional, LabelDropout: settings.LabelDropout,
        Schedule: settings.Schedule, CheckpointEvery: Math.Max(1, Math.Min(500, settings.TrainSteps / 4)),
        SampleEvery: Math.Max(1, settings.TrainSteps), Seed: settings.Seed); // one DDIM grid at the end: the sets show the rest

    /// <summary>The training loss per logged step (the trainer's loss.csv), or null before the cell has logged two steps.</summary>
    public static LossCurve? Read(string cellFolder)
    {
        var points = StepLog.Read(Path.Combine(cellFolder, StepLog.LossFileName), "loss");
        return points.Count < 2 ? null : new LossCurve([.. points.Select(p => (double)p.Step)], [.. points.Select(p => p.Value)]);
    }
}

/// <summary>ε-prediction MSE against the training step.</summary>
public sealed record LossCurve(double[] Steps, double[] Losses);
