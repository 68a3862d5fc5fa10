using SonoSynth.Experiments.Stages;
using SonoSynth.Metrics;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>Table 10: weighted precision, recall and F1 of each architecture (first seed) and each k-of-n majority vote.</summary>
public sealed class ScoresSection(ExperimentConfig config, ClassifierResults results)
{
    public void Write(ReportDocument document)
    {
        var grid = config.Classifiers;
        if (grid.EnsembleRun < 0) return;
        var run = grid.Runs[grid.EnsembleRun];
        var section = document.AddSection("Table 10: weighted precision, recall and F1");
        section.Paragraph($"Run: {run.Describe()}, seed {grid.Seeds[0]}; scikit-learn's weighted averages (zero where undefined).");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var architecture in grid.Architectures)
            rows.Add(ScoreRow(PaperResults.DisplayName(architecture), results.Result(architecture, run, grid.Seeds[0])?.Predictions,
                PaperComparison.Table10(architecture)));
        foreach (var ensemble in results.Ensembles().Where(e => e.Members.Length > 1))
            rows.Add(ScoreRow(string.Join(" + ", ensemble.Members.Select(PaperResults.DisplayName)) + " (majority vote)",
                EnsembleStage.ReadPredictions(results.EnsembleFolder, ensemble.Name), PaperComparison.Table10(ensemble.Name)));
        section.Table("In % (ours / paper)", ["Classifier", "Accuracy", "Precision", "Recall", "F1"], rows);
    }

    private static IReadOnlyList<string> ScoreRow(string name, PredictionTable? predictions, (string Model, double Accuracy, double Precision, double Recall, double F1)? paper)
    {
        string Pair(double? ours, double? theirs) =>
            $"{(ours is null ? ReportFormat.Missing : ReportFormat.Share(ours.Value))} / {(theirs is null ? ReportFormat.Missing : ReportFormat.Percent(theirs.Value))}";
        var report = predictions is null ? null : ClassificationReport.Compute(predictions);
        return [name, Pair(report?.Accuracy, paper?.Accuracy), Pair(report?.WeightedPrecision, paper?.Precision),
            Pair(report?.WeightedRecall, paper?.Recall), Pair(report?.WeightedF1, paper?.F1)];
    }
}
