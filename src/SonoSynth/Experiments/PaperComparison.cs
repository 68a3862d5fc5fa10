using SonoSynth.Data;
using SonoSynth.Quality;
using SonoSynth.Training;

namespace SonoSynth.Experiments;

/// <summary>
/// Which of the paper's numbers (<see cref="PaperResults"/>) a result of ours stands beside; null where the paper
/// has no matching row, so the report prints "—" rather than a number from another setting.
/// </summary>
public static class PaperComparison
{
    /// <summary>
    /// The row of Tables 5–9 for a run of ours: same regime, one synthetic set ↔ round 1, two or more ↔ rounds 1+2.
    /// Real images unaugmented or with §4.2's rotation and flips (`paper`) both match: §4.2 applies them to real images.
    /// </summary>
    public static PaperResults.RegimeRow? RegimeRow(string architecture, ClassifierRunSettings run)
    {
        if (!PaperResults.RegimeTables.TryGetValue(architecture, out var table) || run.PretrainAugment != "none"
            || run.Augment is not ("none" or "paper")) return null;
        var parts = ExperimentConfigLoader.SyntheticParts(run.Synthetic).ToList();
        if (parts.Contains(ExperimentConfigLoader.AugmentedRealSet)) return null;
        var synthetic = parts.Count == 0 ? "" : parts.Count == 1 ? "round1" : "round1+2";
        return table.Rows.FirstOrDefault(r => r.Regime == run.Regime.Name() && r.Synthetic == synthetic);
    }

    /// <summary>Table 10's row of a classifier ("resnet50") or majority-vote ensemble ("resnet50+densenet169+...").</summary>
    public static (string Model, double Accuracy, double Precision, double Recall, double F1)? Table10(string model)
    {
        var row = PaperResults.Table10.FirstOrDefault(p => p.Model == model);
        return row.Model is null ? null : row;
    }

    /// <summary>Table 11's accuracy of an ensemble or comparison method of ours, by its name.</summary>
    public static double? Table11(string ensemble)
    {
        var row = PaperResults.Table11.FirstOrDefault(p => p.Members == ensemble);
        return row.Members is null ? null : row.Accuracy;
    }

    /// <summary>Our scores of Table 3's class <paramref name="paperClass"/> ("Fetal brain"), matched by class slug.</summary>
    public static QualityScores? Table3Class(QualityReport report, string paperClass) =>
        report.PerClass.FirstOrDefault(c => PlaneClasses.Slug(c.Class ?? "") == PlaneClasses.Slug(paperClass));
}
