using SonoSynth.Metrics;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>
/// Tables 5–9, one per architecture: training and test accuracy of every run (mean ± sd over seeds) beside the paper's,
/// a bootstrap interval, test-accuracy curves, ours-vs-paper bars and a confusion matrix per run.
/// </summary>
public sealed class RegimeTablesSection(ExperimentConfig config, ClassifierResults results, string reportFolder)
{
    public void Write(ReportDocument document)
    {
        foreach (var architecture in config.Classifiers.Architectures) Write(document, architecture);
    }

    private void Write(ReportDocument document, string architecture)
    {
        var tableNumber = PaperResults.RegimeTables.TryGetValue(architecture, out var paper) ? $"Table {paper.Table}: " : "";
        var section = document.AddSection($"{tableNumber}{PaperResults.DisplayName(architecture)}: training and test accuracy");
        var rows = new List<IReadOnlyList<string>>();
        var curves = new List<Charts.Series>();
        var ours = new List<double>();
        var theirs = new List<double>();
        var categories = new List<string>();
        foreach (var run in config.Classifiers.Runs)
        {
            var seeds = results.Seeds(architecture, run);
            var paperRow = PaperComparison.RegimeRow(architecture, run);
            string ci = ReportFormat.Missing;
            if (seeds.Count > 0)
            {
                var interval = BootstrapInterval.Accuracy(seeds[0].Predictions.Correct, seed: 0);
                ci = $"{100 * interval.Lower:F1}–{100 * interval.Upper:F1}";
                var history = seeds[0].Final.History;
                curves.Add(new Charts.Series(RunKeyShort(run), history.Select(e => (double)e.Epoch).ToArray(), history.Select(e => 100 * e.TestAccuracy).ToArray()));
                var confusionFile = $"confusion-{architecture}-{ExperimentLayout.RunKey(run)}.png";
                ConfusionHeatmap.WritePng(ClassificationReport.Compute(seeds[0].Predictions).Confusion, Path.Combine(reportFolder, confusionFile),
                    $"{PaperResults.DisplayName(architecture)}: {run.Describe()} (seed {config.Classifiers.Seeds[0]})", 700);
                section.Figure($"Confusion matrix, {run.Describe()}", confusionFile);
            }
            rows.Add([run.Describe(), ReportFormat.MeanSd(seeds.Select(s => s.TrainAccuracy)), ReportFormat.MeanSd(seeds.Select(s => s.BestTestAccuracy)),
                ReportFormat.MeanSd(seeds.Select(s => s.SelectedTestAccuracy)), ci, seeds.Count.ToString(),
                paperRow is null ? ReportFormat.Missing : ReportFormat.Percent(paperRow.TrainAccuracy),
                paperRow is null ? ReportFormat.Missing : ReportFormat.Percent(paperRow.TestAccuracy)]);
            categories.Add(RunKeyShort(run));
            ours.Add(seeds.Count == 0 ? double.NaN : seeds.Average(s => s.BestTestAccuracy));
            theirs.Add(paperRow?.TestAccuracy ?? double.NaN);
        }
        section.Blocks.Insert(0, new TableBlock("Accuracy in % (mean ± sd over seeds)",
            ["Regime", "Train (ours)", "Test, best epoch (ours)", "Test, validation-chosen epoch (ours)", "95% CI (seed 0)", "Seeds", "Train (paper)", "Test (paper)"], rows));
        if (curves.Count == 0) return;
        var curveFile = $"curves-{architecture}.png";
        Charts.Lines(Path.Combine(reportFolder, curveFile), $"{PaperResults.DisplayName(architecture)}: test accuracy per epoch (last phase, seed {config.Classifiers.Seeds[0]})",
            "epoch", "test accuracy (%)", curves);
        section.Blocks.Insert(1, new FigureBlock("Test accuracy per epoch of each regime's last phase", curveFile));
        var barsFile = $"bars-{architecture}.png";
        Charts.GroupedBars(Path.Combine(reportFolder, barsFile), $"{PaperResults.DisplayName(architecture)}: test accuracy, ours vs paper", "test accuracy (%)",
            categories, [("ours (best epoch)", ours.ToArray()), ("paper", theirs.ToArray())]);
        section.Blocks.Insert(2, new FigureBlock("Ours beside the paper (missing bars: no matching row)", barsFile));
    }

    private static string RunKeyShort(ClassifierRunSettings run) => ExperimentLayout.RunKey(run).Replace("pretrain-finetune", "pt+ft")
        .Replace("synthetic-only", "syn").Replace("pretrain-lastlayer", "pt+last").Replace("real-only", "real");
}
