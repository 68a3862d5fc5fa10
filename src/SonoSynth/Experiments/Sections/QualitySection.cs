using System.Globalization;
using SonoSynth.Experiments.Stages;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>Table 3's layout: the Fréchet distance of each synthetic class to the real images of that class, beside the paper's FID.</summary>
public sealed class QualitySection(ExperimentConfig config, string experimentFolder)
{
    public void Write(ReportDocument document)
    {
        if (config.Synthetic.Count == 0 || !config.Quality.Fid) return;
        var section = document.AddSection("Image quality (Table 3 layout)");
        var reports = StudyLevel.Of(config).SelectMany(level => config.Synthetic.Select(s => (Name: level.Cell(s.Name),
                Report: QualityStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.QualityCell(s.Name, level))))))
            .Where(r => r.Report is not null).Select(r => (r.Name, Report: r.Report!)).ToList();
        if (reports.Count == 0) { section.Paragraph("No quality cell has finished yet."); return; }
        section.Paragraph("Metric: " + reports[0].Report.MetricLabel +
            ". The paper's columns are FID of curated \"good\" and \"bad\" images (Inception-v3 FID weights); numbers on other features are not comparable.");
        var header = new List<string> { "Class" };
        header.AddRange(reports.Select(r => $"{r.Name}"));
        header.AddRange(["Paper good", "Paper bad"]);
        var rows = PaperResults.Table3Fid.Select(paper =>
        {
            var row = new List<string> { paper.Class };
            foreach (var (_, report) in reports)
                row.Add(PaperComparison.Table3Class(report, paper.Class) is { } match ? Fid(match.FrechetDistance) : ReportFormat.Missing);
            row.Add(Fid(paper.Good));
            row.Add(Fid(paper.Bad));
            return (IReadOnlyList<string>)row;
        });
        section.Table("Fréchet distance of each synthetic class to the real training images of that class", header, rows);
    }

    private static string Fid(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
