using SonoSynth.Data;
using SonoSynth.Models;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// Trains one classifier: one architecture, one run (regime, synthetic sets, augmentations) and one seed, on a study's
/// real rows and the synthetic sets the run names. The cell folder is a <see cref="RunFolder"/>.
/// </summary>
public sealed class ClassifierStage(ExperimentConfig config, string architecture, ClassifierRunSettings run, int seed, StudyLevel level, Device device)
{
    public void Run(CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        var rows = data.RowsOf(level, config.Data);
        using var realTrain = data.Subset(rows.Train);
        using var test = data.Subset(data.TestRows);
        using var validation = rows.Validation.Count > 0 ? data.Subset(rows.Validation) : null;
        using var synthetic = run.Synthetic == "" ? null : LoadSynthetic(realTrain, context);
        var grid = config.Classifiers;
        var finetune = new ImageClassifierTrainingOptions(grid.Epochs, grid.BatchSize, grid.LearningRate, seed);
        var pretrain = finetune with { Epochs = grid.PretrainEpochs ?? grid.Epochs };
        var settings = new RegimeSettings(run.Regime, finetune, pretrain,
            BatchAugmenter.AsTransform(AugmentationSettings.Parse(run.Augment)),
            BatchAugmenter.AsTransform(AugmentationSettings.Parse(run.PretrainAugment)), ModelSeed: seed);
        var options = new ClassifierConfig(realTrain.Channels, realTrain.ClassNames.Count, config.Data.ImageSize);
        var runner = new RegimeRunner(settings) { Device = device, Progress = context.Progress };
        bool resume = Directory.EnumerateFiles(context.Folder, ImageClassifierTrainer.CheckpointFile, SearchOption.AllDirectories).Any();
        runner.Run(() => ClassifierRegistry.Create(architecture, options), new RegimeData(realTrain, test, validation, synthetic), context.Folder, resume);
    }

    /// <summary>Synthetic sets joined with '+'; "augmented-real" makes traditionally augmented copies of the real training images (Table 12).</summary>
    private LabelledImages LoadSynthetic(LabelledImages realTrain, CellContext context)
    {
        var parts = new List<LabelledImages>();
        try
        {
            foreach (var part in ExperimentConfigLoader.SyntheticParts(run.Synthetic))
            {
                if (part == ExperimentConfigLoader.AugmentedRealSet)
                {
                    var size = config.Synthetic.Count > 0 ? config.Synthetic[0].PerClass * realTrain.ClassNames.Count : realTrain.Count * 3;
                    parts.Add(AugmentedCopies.Make(realTrain, size, AugmentationSettings.Table12, seed: 0));
                    continue;
                }
                var settings = config.Synthetic.Single(s => s.Name == part);
                using var set = DataSources.Open(SamplingStage.Location(settings, level, context.ExperimentFolder), config.Data.ImageSize,
                    config.Data.SkipBad, context.Progress);
                parts.Add(set.Images.Subset(Enumerable.Range(0, set.Images.Count).ToArray()));
            }
            return parts.Count == 1 ? parts[0] : LabelledImages.Concat([.. parts]);
        }
        finally
        {
            if (parts.Count > 1) foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>What a finished classifier cell left behind, or null until it has finished.</summary>
    public static ClassifierCellResult? Read(string cellFolder)
    {
        var folder = new RunFolder(cellFolder);
        if (!folder.IsFinished || !File.Exists(folder.PredictionsPath)) return null;
        var phases = folder.ReadPhaseResults();
        return phases is null ? null : new ClassifierCellResult(phases, folder.ReadPredictions());
    }
}
