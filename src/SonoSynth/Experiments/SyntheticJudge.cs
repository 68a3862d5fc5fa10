using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Experiments;

/// <summary>
/// A classifier trained on the real training split only (the validation split picks its epoch), never on synthetic
/// images, and not the guidance classifier, so it cannot simply agree with the guidance it was part of. The share of a
/// synthetic set it labels as the intended class says whether the images carry their class; its accuracy on the real
/// test images is the ceiling to read that share against. With plenty of real data it is also the benchmark's ceiling.
/// </summary>
public static class SyntheticJudge
{
    public const string VerdictFile = "judge.json";
    public const string PredictionsFile = "judge-predictions.csv";

    /// <summary>The judge cell: a real-only run on the whole training split.</summary>
    public static void Train(JudgeSettings settings, int imageSize, CellContext context, Device device)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(data.TrainRows);
        using var test = data.Subset(data.TestRows);
        using var validation = data.ValidationRows.Count > 0 ? data.Subset(data.ValidationRows) : null;
        var training = new ImageClassifierTrainingOptions(settings.Epochs, settings.BatchSize, settings.LearningRate, settings.Seed);
        var regime = new RegimeSettings(TrainingRegime.RealOnly, training, training,
            BatchAugmenter.AsTransform(AugmentationSettings.Parse(settings.Augment)), ModelSeed: settings.Seed);
        var options = new ClassifierConfig(train.Channels, train.ClassNames.Count, imageSize);
        var runner = new RegimeRunner(regime) { Device = device, Progress = context.Progress };
        bool resume = Directory.EnumerateFiles(context.Folder, ImageClassifierTrainer.CheckpointFile, SearchOption.AllDirectories).Any();
        runner.Run(() => ClassifierRegistry.Create(settings.Architecture, options), new RegimeData(train, test, validation), context.Folder, resume);
    }

    /// <summary>Labels <paramref name="images"/> with the judge and writes judge.json and judge-predictions.csv into the cell's folder.</summary>
    public static JudgeVerdict Evaluate(JudgeSettings settings, LabelledImages images, string setName, CellContext context, Device device)
    {
        var judgeFolder = context.FolderOf(ExperimentLayout.JudgeCell);
        var realTest = new RunFolder(judgeFolder).ReadPredictions();
        if (!images.ClassNames.SequenceEqual(realTest.ClassNames))
            throw new InputError($"Synthetic set '{setName}' has classes [{string.Join(", ", images.ClassNames)}] but the real data " +
                $"[{string.Join(", ", realTest.ClassNames)}]; generate it from a model trained on this data set.");
        var options = new ClassifierConfig(images.Channels, images.ClassNames.Count, images.Height);
        using var model = new RunFolder(judgeFolder).LoadModel(settings.Architecture, options, device);
        var predictions = ModelPredictor.Predict(model, images, device);
        predictions.Write(Path.Combine(context.Folder, PredictionsFile));
        var perClass = images.ClassNames.Select((name, c) =>
        {
            var ofClass = predictions.Rows.Where(r => r.True == c).ToList();
            var realOfClass = realTest.Rows.Where(r => r.True == c).ToList();
            return new JudgeClassVerdict(name, ofClass.Count, Share(ofClass), Share(realOfClass));
        }).ToList();
        var verdict = new JudgeVerdict(settings.Architecture, setName, predictions.Count, predictions.Accuracy, realTest.Accuracy,
            1.0 / images.ClassNames.Count, perClass);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, VerdictFile), JsonSerializer.Serialize(verdict, Json));
        return verdict;
    }

    /// <summary>The verdict a quality cell wrote, or null when it has none (yet).</summary>
    public static JudgeVerdict? Read(string qualityFolder)
    {
        var path = Path.Combine(qualityFolder, VerdictFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<JudgeVerdict>(File.ReadAllText(path), Json) : null;
    }

    private static double Share(IReadOnlyList<PredictionRow> rows) => rows.Count == 0 ? double.NaN : rows.Count(r => r.True == r.Predicted) / (double)rows.Count;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
}
