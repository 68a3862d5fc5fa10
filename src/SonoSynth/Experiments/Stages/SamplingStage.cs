using SonoSynth.Data;
using SonoSynth.Diffusion.Generation;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Training;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// Makes one synthetic set of a study with the study's U-Net (and guidance classifier), or, for a set with a
/// <see cref="SyntheticSetSettings.Source"/>, checks that the existing images open and prepares their cache.
/// </summary>
public sealed class SamplingStage(ExperimentConfig config, SyntheticSetSettings set, StudyLevel level, Device device)
{
    public void Run(CellContext context)
    {
        if (set.Source != "")
        {
            // An existing set (e.g. curated good.csv): check it opens and prepare its cache once.
            using var existing = DataSources.Open(set.Source, config.Data.ImageSize, config.Data.SkipBad, context.Progress);
            return;
        }
        var (unet, header) = DiffusionCheckpoint.Load(Path.Combine(context.FolderOf(ExperimentLayout.DiffusionCell(level)), DiffusionCheckpoint.FileName), useEma: true, device);
        using var model = unet;
        NoiseAwareClassifier? classifier = null;
        if (set.Guidance == SyntheticGuidance.Classifier)
            classifier = NoiseClassifierTrainer.Load(Path.Combine(context.FolderOf(ExperimentLayout.GuidanceCell(level)),
                GuidanceClassifierStage.CheckpointFileName), device).Model;
        using var guidance = classifier;
        var options = new SamplingOptions(
            Sampler: set.Sampler, Respacing: set.Steps,
            ClassifierScale: set.Guidance == SyntheticGuidance.Classifier ? set.GuidanceScale : 0,
            FreeGuidanceWeight: set.Guidance == SyntheticGuidance.Free ? set.GuidanceScale : 0,
            BatchSize: Math.Max(1, config.Diffusion.BatchSize), Schedule: header.Options.Schedule, DiffusionSteps: header.Options.DiffusionSteps,
            SigmaSmall: set.SigmaSmall);
        using var data = ExperimentData.Load(context.ExperimentFolder);
        var generator = new ImageGenerator(model, options, classifier);
        // Rounds differ by seed: round r of a set never repeats the images of another round.
        var plan = new BulkGenerationPlan(data.ClassNames, set.PerClass, Rounds: 1, Seed: set.Seed + 1_000_003L * set.Round);
        new BulkGenerator(generator, context.Folder).Run(plan, context.Progress);
        SamplingFigures.Write(generator, model, plan, context.Folder, header.DescribeWeights(useEma: true), set.Figures);
    }

    /// <summary>Where a synthetic set's images are: the sampling cell's folder, or the external source it names.</summary>
    public static string Location(SyntheticSetSettings set, StudyLevel level, string experimentFolder) =>
        set.Source != "" ? set.Source : ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.SyntheticCell(set.Name, level));

    /// <summary>Whether a sampling cell has written images (their manifest.csv).</summary>
    public static bool HasImages(string cellFolder) => File.Exists(Path.Combine(cellFolder, ImageManifest.FileName));
}
