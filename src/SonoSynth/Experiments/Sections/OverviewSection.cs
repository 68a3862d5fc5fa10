using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>"What was run": the settings beside the paper's, the time each stage took, and how accuracy is reported.</summary>
public sealed class OverviewSection(ExperimentConfig config, string experimentFolder)
{
    public void Write(ReportDocument document, string? runDescription)
    {
        var section = document.AddSection("What was run");
        if (config.Scale != "") section.Paragraph("Scale: " + config.Scale);
        if (runDescription is not null) section.Paragraph(runDescription);
        var grid = config.Classifiers;
        section.Table("Settings", ["Setting", "This run", "Paper"],
        [
            ["Data", config.Data.Source == "phantom" ? $"built-in phantom, {config.Data.PhantomPerClass} per class" : config.Data.Source, "FETAL_PLANES_DB, 12,400 images"],
            ["Image size", $"{config.Data.ImageSize}×{config.Data.ImageSize}", "128×128"],
            ["Split", $"{ConfigNames.Name(config.Data.Split)} (seed {config.Data.SplitSeed}), validation {config.Data.ValidationFraction:P0} of train", "random 80/20"],
            ["Diffusion", $"{config.Diffusion.Preset}, {config.Diffusion.TrainSteps:N0} steps, batch {config.Diffusion.BatchSize}", "ADM (guided-diffusion), 128 px"],
            ["Synthetic sets", string.Join("; ", config.Synthetic.Select(s => $"{s.Name}: {s.PerClass}/class, {ConfigNames.Name(s.Sampler)} {s.Steps}, guidance {ConfigNames.Name(s.Guidance)} {s.GuidanceScale}")), "2 rounds × 6 × 5000, classifier guidance"],
            ["Classifiers", string.Join(", ", grid.Architectures.Select(PaperResults.DisplayName)), "ResNet50, DenseNet169, ViT-B/32, Swin-T, MedMamba"],
            ["Training", $"{grid.Epochs} epochs (pretraining {grid.PretrainEpochs ?? grid.Epochs}), Adam lr {grid.LearningRate}, batch {grid.BatchSize}, seeds {string.Join(",", grid.Seeds)}", "200 epochs, Adam 1e-4, batch 32, 5 seeds"],
        ]);
        var stages = ExperimentLayout.FinishedCells(experimentFolder).GroupBy(done => done.Stage)
            .Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(), ReportFormat.Duration(g.Sum(done => done.Seconds))]).ToList();
        section.Table("Time per stage (finished cells)", ["Stage", "Cells", "Time"], stages);
        section.Paragraph("Test accuracy is given two ways: the best test epoch, as the paper reports it (optimistic: the test set picks " +
            "the epoch), and the test accuracy at the epoch chosen on a validation split carved from the training data (honest).");
    }
}
