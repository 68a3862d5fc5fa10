using SonoSynth.Data;
using SonoSynth.Experiments.Stages;
using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>Per study: the diffusion loss, the guidance classifier's accuracy per band of t, and a grid of each synthetic set.</summary>
public sealed class SyntheticImagesSection(ExperimentConfig config, string experimentFolder, string reportFolder)
{
    public void Write(ReportDocument document)
    {
        foreach (var level in StudyLevel.Of(config)) Write(document, level);
    }

    private void Write(ReportDocument document, StudyLevel level)
    {
        if (config.Synthetic.Count == 0) return;
        var section = document.AddSection(level.PerClass is null ? "Synthetic images" : $"Synthetic images, {level.Describe()}");
        string tag = level.Cell("").Replace('/', '-');
        if (DiffusionStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.DiffusionCell(level))) is { } loss)
        {
            Charts.Lines(Path.Combine(reportFolder, $"{tag}diffusion-loss.png"), "Diffusion training loss (ε-prediction MSE)", "step", "loss",
                [new Charts.Series("loss", loss.Steps, loss.Losses)]);
            section.Figure("Diffusion training loss", $"{tag}diffusion-loss.png");
        }
        if (GuidanceClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.GuidanceCell(level))) is { } bands)
        {
            var rows = bands.Select(b => (IReadOnlyList<string>)[$"[{b.FromTimestep}, {b.ToTimestep})", b.Images.ToString(), ReportFormat.Share(b.Accuracy)]);
            section.Table("Noise-aware guidance classifier: test accuracy per band of t", ["t", "Images", "Accuracy"], rows);
        }
        foreach (var set in config.Synthetic)
        {
            var folder = SamplingStage.Location(set, level, experimentFolder);
            if (set.Source == "" && !SamplingStage.HasImages(folder)) { section.Paragraph($"Set '{set.Name}': not generated yet."); continue; }
            using var images = DataSources.Open(folder, config.Data.ImageSize);
            var file = $"{tag}synthetic-{set.Name}.png";
            ClassGrid.Save(images.Images, Path.Combine(reportFolder, file), perClass: 8);
            section.Figure($"Synthetic set '{set.Name}' ({images.Images.Count} images; {ConfigNames.Name(set.Sampler)} {set.Steps}, guidance {ConfigNames.Name(set.Guidance)}" +
                $"{(set.Guidance == SyntheticGuidance.None ? "" : $" {set.GuidanceScale}")}), one row per class", file);
        }
    }
}
