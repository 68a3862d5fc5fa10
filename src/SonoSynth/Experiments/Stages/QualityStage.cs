using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.IO;
using SonoSynth.Quality;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// Measures one synthetic set of a study: the judge's verdict (<see cref="SyntheticJudge"/>, judge.json) and the
/// per-class Fréchet distance to the study's real training images (<c>quality.json</c>).
/// </summary>
public sealed class QualityStage(ExperimentConfig config, SyntheticSetSettings set, StudyLevel level, Device device)
{
    private const string ReportFile = "quality.json";

    public void Run(CellContext context)
    {
        var location = SamplingStage.Location(set, level, context.ExperimentFolder);
        if (config.Quality.Judge is { } judge)
        {
            using var images = DataSources.Open(location, config.Data.ImageSize, config.Data.SkipBad, context.Progress);
            SyntheticJudge.Evaluate(judge, images.Images, set.Name, context, device);
        }
        if (!config.Quality.Fid) return;
        using var data = ExperimentData.Load(context.ExperimentFolder);
        var train = data.Subset(data.RowsOf(level, config.Data).Generative);
        var manifest = File.Exists(location) ? location : Path.Combine(location, ImageManifest.FileName);
        using var synthetic = new ImagesInput(manifest, ImageFileSource.FromManifest(manifest), owner: null);
        using var real = new ImagesInput("real training images", new LabelledImagesSource(train, "real training images"), train);
        var weights = config.Quality.InceptionWeights == "" ? null : config.Quality.InceptionWeights;
        using var extractor = FeatureExtractors.Create(FeatureExtractors.Auto, weights, device);
        var report = QualityEvaluation.Run(synthetic, real, extractor, new QualityOptions(PerClass: true), context.Progress);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, ReportFile), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The Fréchet distances a quality cell measured, or null when it has none (yet, or FID is off).</summary>
    public static QualityReport? Read(string cellFolder)
    {
        var path = Path.Combine(cellFolder, ReportFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<QualityReport>(File.ReadAllText(path)) : null;
    }
}
