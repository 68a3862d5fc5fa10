using System.Globalization;
using SonoSynth.Experiments.Stages;
using SonoSynth.Metrics;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>
/// The data-scarcity study (data.trainPerClass): test accuracy of every regime at every size as mean ± sd with a 95%
/// Student-t interval over seeds, each regime against real-only seed for seed (paired t-test), a plot of accuracy against
/// real images per class, and the judge's intended-class accuracy of each size's synthetic sets (the images' quality).
/// Accuracy is the test accuracy at the epoch the (equally scarce) validation split chose; the test split picks nothing.
/// </summary>
internal sealed class ScarcityStudySection(ExperimentConfig config, string experimentFolder, string reportFolder)
{
    public void Write(ReportDocument document)
    {
        if (config.Data.TrainPerClass.Count == 0) return;
        var levels = StudyLevel.Of(config);
        var grid = config.Classifiers;
        var baseline = grid.Runs.FirstOrDefault(r => r.Regime == Training.TrainingRegime.RealOnly);
        foreach (var architecture in grid.Architectures)
        {
            var section = document.AddSection($"Data scarcity: {PaperResults.DisplayName(architecture)}, accuracy against real images per class");
            var accuracies = grid.Runs.ToDictionary(run => run, run => levels.Select(level => Accuracies(architecture, run, level)).ToList());
            var header = new List<string> { "Regime" };
            header.AddRange(levels.Select(l => $"{l.PerClass} per class"));
            section.Table("Test accuracy in % at the validation-chosen epoch: mean ± sd [95% CI] (seeds)", header,
                grid.Runs.Select(run =>
                {
                    var row = new List<string> { run.Describe() };
                    row.AddRange(accuracies[run].Select(Cell));
                    return (IReadOnlyList<string>)row;
                }));
            if (baseline is not null)
            {
                var comparisons = grid.Runs.Where(r => r != baseline).Select(run =>
                {
                    var row = new List<string> { $"{run.Describe()} − real only" };
                    for (int l = 0; l < levels.Count; l++)
                    {
                        var (ours, theirs) = Paired(accuracies[run][l], accuracies[baseline][l]);
                        if (ours.Count < 2) { row.Add("—"); continue; }
                        var c = SeedStatistics.Paired(ours, theirs);
                        row.Add($"{ReportFormat.Signed(c.MeanDifference)} [{ReportFormat.Signed(c.Lower)}, {ReportFormat.Signed(c.Upper)}], p = {c.PValue.ToString("G2", CultureInfo.InvariantCulture)}, " +
                            $"better in {c.FirstBetter}/{c.Pairs}");
                    }
                    return (IReadOnlyList<string>)row;
                }).ToList();
                section.Table("Paired by seed against real only: mean difference in points [95% CI], paired t-test p, seeds where the regime was better",
                    header, comparisons);
            }
            var plot = $"scarcity-{architecture}.png";
            var series = grid.Runs.Select(run =>
            {
                var points = levels.Select((level, l) => (X: (double)level.PerClass!.Value, Interval: SeedStatistics.Mean(accuracies[run][l].Select(a => a.Accuracy).ToList())))
                    .Where(p => p.Interval.Count > 0).ToList();
                return new Charts.IntervalSeries(run.Describe(), points.Select(p => p.X).ToArray(), points.Select(p => p.Interval.Mean).ToArray(),
                    points.Select(p => p.Interval.Lower).ToArray(), points.Select(p => p.Interval.Upper).ToArray());
            }).Where(s => s.X.Length > 0).ToList();
            if (series.Count > 0)
            {
                Charts.LinesWithIntervals(Path.Combine(reportFolder, plot), $"{PaperResults.DisplayName(architecture)}: test accuracy against real training images",
                    "real training images per class (log scale)", "test accuracy (%)", series, reference: 100.0 / 6, referenceLabel: "chance");
                section.Figure("Mean over seeds with its 95% interval; one line per regime", plot);
            }
        }
        JudgeTable(document, levels);
    }

    private void JudgeTable(ReportDocument document, IReadOnlyList<StudyLevel> levels)
    {
        if (config.Quality.Judge is null) return;
        var sets = config.Synthetic.Where(s => s.Source == "").ToList();
        var verdicts = levels.Select(level => sets.Select(s => SyntheticJudge.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.QualityCell(s.Name, level)))).ToList()).ToList();
        var ceiling = verdicts.SelectMany(v => v).OfType<JudgeVerdict>().FirstOrDefault();
        if (ceiling is null) return;
        var section = document.AddSection("Data scarcity: do the synthetic images carry their class?");
        section.Paragraph($"The judge ({ceiling.Architecture}) was trained on the whole real training split and scores " +
            $"{ReportFormat.Share(ceiling.CeilingAccuracy)}% on the real test images: the ceiling. " +
            "Each size's diffusion model and guidance classifier saw only that size's real images.");
        var header = new List<string> { "Synthetic set" };
        header.AddRange(levels.Select(l => $"{l.PerClass} per class"));
        section.Table("Share of each synthetic set the judge puts in its intended class, in %", header, sets.Select((set, i) =>
        {
            var row = new List<string> { set.Name };
            row.AddRange(verdicts.Select(v => v[i] is { } verdict ? ReportFormat.Share(verdict.IntendedClassAccuracy) : ReportFormat.Missing));
            return (IReadOnlyList<string>)row;
        }));
    }

    private sealed record SeedAccuracy(int Seed, double Accuracy);

    private List<SeedAccuracy> Accuracies(string architecture, ClassifierRunSettings run, StudyLevel level) =>
        config.Classifiers.Seeds.Select(seed => (seed, Result: ClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.ClassifierCell(architecture, run, seed, level)))))
            .Where(p => p.Result is not null).Select(p => new SeedAccuracy(p.seed, p.Result!.SelectedTestAccuracy)).ToList();

    private static (List<double>, List<double>) Paired(List<SeedAccuracy> first, List<SeedAccuracy> second)
    {
        var common = first.Select(a => a.Seed).Intersect(second.Select(a => a.Seed)).ToHashSet();
        return (first.Where(a => common.Contains(a.Seed)).Select(a => a.Accuracy).ToList(),
            second.Where(a => common.Contains(a.Seed)).Select(a => a.Accuracy).ToList());
    }

    private static string Cell(List<SeedAccuracy> values)
    {
        if (values.Count == 0) return "—";
        var m = SeedStatistics.Mean(values.Select(v => v.Accuracy).ToList());
        string F(double v) => ReportFormat.Percent(v);
        return m.Count == 1 ? $"{F(m.Mean)} (1)" : $"{F(m.Mean)} ± {F(m.StandardDeviation)} [{F(m.Lower)}, {F(m.Upper)}] ({m.Count})";
    }
}
