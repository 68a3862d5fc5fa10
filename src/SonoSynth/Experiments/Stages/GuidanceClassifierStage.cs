using System.Text.Json;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.IO;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// Trains a study's noise-aware guidance classifier (guided-diffusion's classifier_train.py) and records its test
/// accuracy per band of t in <c>accuracy-by-timestep.json</c>.
/// </summary>
public sealed class GuidanceClassifierStage(ExperimentConfig config, StudyLevel level, Device device)
{
    private const string AccuracyFile = "accuracy-by-timestep.json";

    /// <summary>The trainer's checkpoint in the cell folder, which sampling loads.</summary>
    public const string CheckpointFileName = "checkpoint.bin"; // NoiseClassifierTrainer.CheckpointPath's name

    public void Run(CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(data.RowsOf(level, config.Data).Generative);
        using var test = data.Subset(data.TestRows);
        var settings = config.Diffusion;
        var classifier = NoiseClassifierConfig.Preset(settings.ClassifierPreset) with
        {
            ImageSize = config.Data.ImageSize,
            ClassCount = data.ClassNames.Count,
        };
        var options = new NoiseClassifierTrainingOptions(Steps: settings.ClassifierSteps, BatchSize: settings.ClassifierBatchSize ?? settings.BatchSize,
            LearningRate: settings.ClassifierLearningRate, HorizontalFlip: settings.ClassifierAugment, Schedule: settings.Schedule,
            CheckpointEvery: Math.Max(1, Math.Min(500, settings.ClassifierSteps / 4)), Seed: settings.Seed,
            AnnealLearningRate: settings.ClassifierAnnealLr, RandomCrop: settings.ClassifierAugment, Microbatch: settings.ClassifierMicrobatch);
        var trainer = new NoiseClassifierTrainer(classifier, options, context.Folder, device);
        var result = trainer.Train(train, test, resume: File.Exists(trainer.CheckpointPath), context.Progress);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, AccuracyFile),
            JsonSerializer.Serialize(result.AccuracyByBand, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The guidance classifier's test accuracy per band of t, or null before its cell has run.</summary>
    public static IReadOnlyList<TimestepBandAccuracy>? Read(string cellFolder)
    {
        var path = Path.Combine(cellFolder, AccuracyFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<List<TimestepBandAccuracy>>(File.ReadAllText(path)) : null;
    }
}
