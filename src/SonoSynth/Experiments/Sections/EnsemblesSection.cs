using SonoSynth.Ensembles;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>Table 11: the accuracy of each majority-vote ensemble and comparison method beside the paper's.</summary>
public sealed class EnsemblesSection(ClassifierResults results)
{
    public void Write(ReportDocument document)
    {
        var ensembles = results.Ensembles();
        if (ensembles.Count == 0) return;
        var section = document.AddSection("Table 11: majority-vote ensembles");
        section.Paragraph("Each architecture votes with the majority of its seeds; ties go to the class with the highest mean probability " +
            "among the tied classes, then to the lowest class index. The comparison methods, when run, use the first seed's model of " +
            "each architecture as base models and are fitted on the training split.");
        var comparisonRows = ComparisonMethods.Names.ToDictionary(ComparisonMethods.PaperRow, m => ComparisonMethods.DisplayName(m));
        var rows = ensembles.Select(e =>
        {
            var paper = PaperComparison.Table11(e.Name);
            var name = comparisonRows.TryGetValue(e.Name, out var method) ? method
                : e.Members.Length > 1 ? string.Join(" + ", e.Members.Select(PaperResults.DisplayName)) : e.Name;
            return (IReadOnlyList<string>)[name, ReportFormat.Share(e.Accuracy), paper is null ? ReportFormat.Missing : ReportFormat.Percent(paper.Value)];
        }).ToList();
        section.Table("Test accuracy in %", ["Ensemble", "Ours", "Paper"], rows);
    }
}
