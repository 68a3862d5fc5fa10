using System.Text.Json;
using SonoSynth.Ensembles;
using SonoSynth.IO;
using SonoSynth.Models;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// One of Table 11's comparison methods (stacked ensemble, deep feature integration) over one trained model per
/// architecture, fitted on the study's training rows; writes its test predictions and <c>comparison.json</c>.
/// </summary>
public sealed class ComparisonStage(ExperimentConfig config, string method, ClassifierRunSettings run, StudyLevel level, Device device)
{
    private const string RecordFile = "comparison.json";

    /// <summary>Base models: the first seed's model of each architecture.</summary>
    public IReadOnlyList<string> Members() =>
        [.. config.Classifiers.Architectures.Select(a => ExperimentLayout.ClassifierCell(a, run, config.Classifiers.Seeds[0], level))];

    public void Run(CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(data.RowsOf(level, config.Data).Train);
        using var test = data.Subset(data.TestRows);
        var options = new ClassifierConfig(train.Channels, train.ClassNames.Count, config.Data.ImageSize);
        var models = new List<ImageClassifier>();
        try
        {
            foreach (var (architecture, cell) in config.Classifiers.Architectures.Zip(Members()))
                models.Add(new RunFolder(context.FolderOf(cell)).LoadModel(architecture, options, device));
            var predictions = ComparisonMethods.Run(method, models, train, test, new ComparisonSettings(Seed: config.Classifiers.Seeds[0]), device, context.Progress);
            predictions.Write(Path.Combine(context.Folder, RunFolder.PredictionsFile));
            var record = new EnsembleRecord(ComparisonMethods.PaperRow(method), [.. config.Classifiers.Architectures], predictions.Accuracy);
            AtomicFile.WriteAllText(Path.Combine(context.Folder, RecordFile), JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    /// <summary>The method's score, or null before its cell has run.</summary>
    public static EnsembleRecord? Read(string cellFolder)
    {
        var path = Path.Combine(cellFolder, RecordFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<EnsembleRecord>(File.ReadAllText(path)) : null;
    }
}
