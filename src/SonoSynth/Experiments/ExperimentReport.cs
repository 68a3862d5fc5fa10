using SonoSynth.Experiments.Sections;
using SonoSynth.IO;
using SonoSynth.Reports;

namespace SonoSynth.Experiments;

/// <summary>
/// Writes <c>report/report.md</c> and <c>report/report.html</c> for an experiment folder: the scale actually run,
/// the data split, sample grids, image quality, each of the paper's tables in its layout with the paper's numbers
/// beside ours (<see cref="PaperComparison"/>), training curves, confusion matrices, confidence intervals and ensembles.
/// Each part is a section class in <c>Sections/</c>. Cells that have not finished show as "—", so a report can be
/// written at any point of a run.
/// </summary>
public sealed class ExperimentReport(ExperimentConfig config, string experimentFolder)
{
    private readonly string reportFolder = ExperimentLayout.ReportFolder(experimentFolder);

    public string Write(string? runDescription = null)
    {
        Directory.CreateDirectory(reportFolder);
        var document = new ReportDocument($"SonoSynth report: {config.Name}");
        var results = new ClassifierResults(config, experimentFolder);
        new OverviewSection(config, experimentFolder).Write(document, runDescription);
        new EvidenceSection(config, experimentFolder, reportFolder).Write(document);
        new ScarcityStudySection(config, experimentFolder, reportFolder).Write(document);
        new DataSection(experimentFolder, reportFolder).Write(document);
        new SyntheticImagesSection(config, experimentFolder, reportFolder).Write(document);
        new QualitySection(config, experimentFolder).Write(document);
        if (config.Data.TrainPerClass.Count == 0) new RegimeTablesSection(config, results, reportFolder).Write(document);
        new ScoresSection(config, results).Write(document);
        new EnsemblesSection(results).Write(document);
        new AblationSection(config, results).Write(document);
        AtomicFile.WriteAllText(Path.Combine(reportFolder, ExperimentLayout.ReportMarkdownFile), MarkdownWriter.Render(document));
        var html = Path.Combine(reportFolder, ExperimentLayout.ReportHtmlFile);
        AtomicFile.WriteAllText(html, HtmlWriter.Render(document, reportFolder));
        return html;
    }
}
