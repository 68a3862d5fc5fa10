using System.Globalization;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.IO;
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
        var path = Path.Combine(cellFolder, LossLogFile);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2) return null;
        var header = Csv.Split(lines[0]) ?? [];
        int step = header.IndexOf("step"), loss = header.IndexOf("loss");
        if (step < 0 || loss < 0) return null;
        var points = lines.Skip(1).Select(Csv.Split).Where(f => f is not null && f.Count > Math.Max(step, loss))
            .Select(f => (Step: double.Parse(f![step], CultureInfo.InvariantCulture), Loss: double.Parse(f[loss], CultureInfo.InvariantCulture))).ToList();
        return points.Count < 2 ? null : new LossCurve([.. points.Select(p => p.Step)], [.. points.Select(p => p.Loss)]);
    }

    private const string LossLogFile = "loss.csv"; // DiffusionTrainer.LossLogPath's name
}

/// <summary>ε-prediction MSE against the training step.</summary>
public sealed record LossCurve(double[] Steps, double[] Losses);
