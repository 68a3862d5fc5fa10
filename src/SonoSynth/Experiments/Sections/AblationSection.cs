using SonoSynth.Reports;
using SonoSynth.Training;

namespace SonoSynth.Experiments.Sections;

/// <summary>
/// Tables 4, 12, 13 and 14: the paper's ablations, each row matched to the run of ours with the same regime, synthetic
/// set and augmentation (good/bad sets by name, guided/unguided sets by their guidance). A table without any matching run is left out.
/// </summary>
public sealed class AblationSection(ExperimentConfig config, ClassifierResults results)
{
    public void Write(ReportDocument document)
    {
        var guided = config.Synthetic.FirstOrDefault(s => s.Guidance == SyntheticGuidance.Classifier)?.Name;
        var unguided = config.Synthetic.FirstOrDefault(s => s.Guidance == SyntheticGuidance.None)?.Name;
        ClassifierRunSettings? Find(TrainingRegime regime, string? synthetic, bool augmentedPretraining) => synthetic is null ? null :
            config.Classifiers.Runs.FirstOrDefault(r => r.Regime == regime && r.Synthetic == synthetic && (r.PretrainAugment != "none") == augmentedPretraining);
        var augmented = ExperimentConfigLoader.AugmentedRealSet;
        // "Traditional + diffusion" (Tables 12 and 14, = Table 10): pretraining on the guided set plus augmented real
        // copies (configs/README.md's reading), or else the guided set augmented while pretraining (the other reading).
        ClassifierRunSettings? Combined(TrainingRegime regime) => guided is null ? null
            : Find(regime, $"{guided}+{augmented}", false) ?? Find(regime, guided, true);
        double[] Table4Column(Func<(double Good, double Bad), double> pick) =>
            PaperResults.Architectures.Select(a => pick(PaperResults.Table4GoodBad[a])).ToArray();
        Table(document, 4, "Pretraining on curated \"good\" vs \"bad\" synthetic images (sets named good and bad)",
            [("Pretraining (good) + fine-tuning", Table4Column(p => p.Good)), ("Pretraining (bad) + fine-tuning", Table4Column(p => p.Bad))],
            [Find(TrainingRegime.PretrainFinetune, "good", false), Find(TrainingRegime.PretrainFinetune, "bad", false)]);
        Table(document, 12, "Effect of traditional augmentation", PaperResults.Table12,
        [
            Find(TrainingRegime.SyntheticOnly, guided, false), Find(TrainingRegime.PretrainFinetune, guided, false),
            Find(TrainingRegime.SyntheticOnly, augmented, false), Find(TrainingRegime.PretrainFinetune, augmented, false),
            Combined(TrainingRegime.SyntheticOnly), Combined(TrainingRegime.PretrainFinetune),
        ]);
        Table(document, 13, "Impact of classifier guidance", PaperResults.Table13,
        [
            Find(TrainingRegime.SyntheticOnly, guided, false), Find(TrainingRegime.PretrainFinetune, guided, false),
            Find(TrainingRegime.SyntheticOnly, unguided, false), Find(TrainingRegime.PretrainFinetune, unguided, false),
        ]);
        Table(document, 14, "Full vs last-layer fine-tuning", PaperResults.Table14,
        [
            Combined(TrainingRegime.SyntheticOnly), Combined(TrainingRegime.PretrainFinetune), Combined(TrainingRegime.PretrainLastLayer),
        ]);
    }

    private void Table(ReportDocument document, int number, string title, IReadOnlyList<(string Row, double[] Accuracy)> paper,
        IReadOnlyList<ClassifierRunSettings?> runs)
    {
        if (runs.All(r => r is null)) return;
        var section = document.AddSection($"Table {number}: {title}");
        var architectures = PaperResults.Architectures;
        var header = new List<string> { "Row" };
        header.AddRange(architectures.Select(a => $"{PaperResults.DisplayName(a)} ours / paper"));
        var rows = paper.Select((row, i) =>
        {
            var cells = new List<string> { row.Row };
            for (int a = 0; a < architectures.Count; a++)
            {
                var run = runs[i];
                var seeds = run is null || !config.Classifiers.Architectures.Contains(architectures[a]) ? [] : results.Seeds(architectures[a], run);
                cells.Add($"{(seeds.Count == 0 ? ReportFormat.Missing : ReportFormat.Percent(seeds.Average(s => s.BestTestAccuracy)))} / {ReportFormat.Percent(row.Accuracy[a])}");
            }
            return (IReadOnlyList<string>)cells;
        });
        section.Table("Test accuracy in % (best epoch, mean over seeds)", header, rows);
    }
}
