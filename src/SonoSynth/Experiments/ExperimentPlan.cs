using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Diffusion.Generation;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Diffusion.Training;
using SonoSynth.Ensembles;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Quality;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Experiments;

/// <summary>
/// Turns an <see cref="ExperimentConfig"/> into the grid of cells the paper's study needs:
/// data → diffusion U-Net → guidance classifier → synthetic sets → quality → classifier runs → ensembles.
/// </summary>
public sealed class ExperimentPlan(ExperimentConfig config, Device? device = null)
{
    private readonly Device device = device ?? CPU;

    public ExperimentConfig Config { get; } = config;

    public static string DiffusionCell(StudyLevel level) => level.Cell("diffusion/unet");
    public static string GuidanceCell(StudyLevel level) => level.Cell("diffusion/classifier");
    public static string EnsembleCell(StudyLevel level) => level.Cell("ensembles");
    public static string SyntheticCell(string name, StudyLevel level) => level.Cell($"synthetic/{name}");
    public static string ComparisonCell(string method, StudyLevel level) => level.Cell($"comparisons/{method}");
    public static string QualityCell(string name, StudyLevel level) => level.Cell($"quality/{name}");

    /// <summary>Folder-safe key of a classifier run: regime, synthetic sets and augmentations.</summary>
    public static string RunKey(ClassifierRunSettings run)
    {
        var key = run.Regime;
        if (run.Synthetic != "") key += "_" + run.Synthetic.Replace('+', '-');
        if (run.PretrainAugment != "none") key += "_pre-" + run.PretrainAugment.Replace(',', '-');
        if (run.Augment != "none") key += "_aug-" + run.Augment.Replace(',', '-');
        return key;
    }

    public static string ClassifierCell(string architecture, ClassifierRunSettings run, int seed, StudyLevel level) =>
        level.Cell($"classify/{architecture}/{RunKey(run)}/seed{seed}");

    public IReadOnlyList<ExperimentCell> Cells()
    {
        var cells = new List<ExperimentCell> { new(ExperimentData.CellId, ExperimentStage.Data, [], c => ExperimentData.Prepare(Config, c)) };
        if (Config.Quality.Judge is { } judge)
            cells.Add(new(SyntheticJudge.CellId, ExperimentStage.Quality, [ExperimentData.CellId], c => SyntheticJudge.Train(judge, Config.Data.ImageSize, c, device)));
        foreach (var level in StudyLevel.Of(Config)) cells.AddRange(StudyCells(level));
        return cells;
    }

    private IEnumerable<ExperimentCell> StudyCells(StudyLevel level)
    {
        var cells = new List<ExperimentCell>();
        bool anySynthetic = Config.Synthetic.Any(s => s.Source == "");
        if (anySynthetic)
            cells.Add(new(DiffusionCell(level), ExperimentStage.Diffusion, [ExperimentData.CellId], c => TrainDiffusion(level, c)));
        bool needsGuidance = Config.Synthetic.Any(s => s.Source == "" && s.Guidance == "classifier");
        if (needsGuidance)
            cells.Add(new(GuidanceCell(level), ExperimentStage.GuidanceClassifier, [ExperimentData.CellId], c => TrainGuidanceClassifier(level, c)));
        foreach (var set in Config.Synthetic)
        {
            List<string> needs = set.Source != "" ? [ExperimentData.CellId]
                : set.Guidance == "classifier" ? [DiffusionCell(level), GuidanceCell(level)] : [DiffusionCell(level)];
            cells.Add(new(SyntheticCell(set.Name, level), ExperimentStage.Sampling, needs, c => Sample(set, level, c)));
            if (Config.Quality.Fid || Config.Quality.Judge is not null)
            {
                List<string> qualityNeeds = [SyntheticCell(set.Name, level), ExperimentData.CellId];
                if (Config.Quality.Judge is not null) qualityNeeds.Add(SyntheticJudge.CellId);
                cells.Add(new(QualityCell(set.Name, level), ExperimentStage.Quality, qualityNeeds, c => MeasureQuality(set, level, c)));
            }
        }
        var classifierCells = new List<string>();
        foreach (var architecture in Config.Classifiers.Architectures)
            foreach (var run in Config.Classifiers.Runs)
                foreach (var seed in Config.Classifiers.Seeds)
                {
                    var needs = new List<string> { ExperimentData.CellId };
                    needs.AddRange(ExperimentConfigLoader.SyntheticParts(run.Synthetic)
                        .Where(p => p != ExperimentConfigLoader.AugmentedRealSet).Select(p => SyntheticCell(p, level)));
                    var id = ClassifierCell(architecture, run, seed, level);
                    classifierCells.Add(id);
                    cells.Add(new(id, ExperimentStage.Classifiers, needs, c => TrainClassifier(architecture, run, seed, level, c)));
                }
        if (Config.Classifiers.EnsembleSizes.Count > 0 && Config.Classifiers.EnsembleRun >= 0)
        {
            var run = Config.Classifiers.Runs[Config.Classifiers.EnsembleRun];
            var members = Config.Classifiers.Architectures.SelectMany(a => Config.Classifiers.Seeds.Select(s => ClassifierCell(a, run, s, level))).ToList();
            cells.Add(new(EnsembleCell(level), ExperimentStage.Ensembles, members, c => Ensemble(run, level, c)));
        }
        if (Config.Classifiers.ComparisonMethods && Config.Classifiers.EnsembleRun >= 0)
        {
            // Table 11's comparison methods use one trained model per architecture (the first seed) as base models.
            var run = Config.Classifiers.Runs[Config.Classifiers.EnsembleRun];
            var seed = Config.Classifiers.Seeds[0];
            var members = Config.Classifiers.Architectures.Select(a => ClassifierCell(a, run, seed, level)).ToList();
            foreach (var method in ComparisonMethods.Names)
                cells.Add(new(ComparisonCell(method, level), ExperimentStage.Ensembles, members, c => Compare(method, members, level, c)));
        }
        return cells;
    }

    /// <summary>
    /// The real rows a study trains on: the whole training split (the diffusion model and guidance classifier also learn
    /// from its validation share, as the paper trains them on all training images), or the scarce subset, which
    /// everything in that study uses alone.
    /// </summary>
    private (IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Generative) Rows(ExperimentData data, StudyLevel level)
    {
        if (level.PerClass is not int n) return (data.TrainRows, data.ValidationRows, data.AllTrainRows);
        var (train, validation) = data.ScarceRows(n, Config.Data.ValidationFraction, Config.Data.SplitSeed);
        return (train, validation, train);
    }

    private DiffusionTrainingOptions DiffusionOptions(int checkpointEvery) => new(
        Steps: Config.Diffusion.TrainSteps, BatchSize: Config.Diffusion.BatchSize, LearningRate: Config.Diffusion.LearningRate,
        EmaRate: Config.Diffusion.EmaRate, EmaWarmup: Config.Diffusion.EmaWarmup,
        ClassConditional: Config.Diffusion.ClassConditional, LabelDropout: Config.Diffusion.LabelDropout,
        Schedule: ParseSchedule(Config.Diffusion.Schedule), CheckpointEvery: checkpointEvery,
        SampleEvery: Math.Max(1, Config.Diffusion.TrainSteps), Seed: Config.Diffusion.Seed); // one DDIM grid at the end: the sets show the rest

    private void TrainDiffusion(StudyLevel level, CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(Rows(data, level).Generative);
        var settings = Config.Diffusion;
        var preset = UNetConfig.Preset(settings.Preset);
        var unet = preset with
        {
            ImageSize = Config.Data.ImageSize,
            LearnSigma = settings.LearnSigma ?? preset.LearnSigma,
            ClassCount = settings.ClassConditional ? data.ClassNames.Count : 0,
            NullLabel = settings.LabelDropout > 0,
        };
        var trainer = new DiffusionTrainer(unet, DiffusionOptions(Math.Max(1, Math.Min(500, settings.TrainSteps / 4))), context.Folder, device);
        trainer.Train(train, resume: File.Exists(trainer.CheckpointPath), context.Progress);
    }

    private void TrainGuidanceClassifier(StudyLevel level, CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(Rows(data, level).Generative);
        using var test = data.Subset(data.TestRows);
        var settings = Config.Diffusion;
        var classifier = NoiseClassifierConfig.Preset(settings.ClassifierPreset) with
        {
            ImageSize = Config.Data.ImageSize,
            ClassCount = data.ClassNames.Count,
        };
        var options = new ClassifierTrainingOptions(Steps: settings.ClassifierSteps, BatchSize: settings.ClassifierBatchSize ?? settings.BatchSize,
            LearningRate: settings.ClassifierLearningRate, HorizontalFlip: settings.ClassifierAugment, Schedule: ParseSchedule(settings.Schedule),
            CheckpointEvery: Math.Max(1, Math.Min(500, settings.ClassifierSteps / 4)), Seed: settings.Seed,
            AnnealLearningRate: settings.ClassifierAnnealLr, RandomCrop: settings.ClassifierAugment, Microbatch: settings.ClassifierMicrobatch);
        var trainer = new NoiseClassifierTrainer(classifier, options, context.Folder, device);
        var result = trainer.Train(train, test, resume: File.Exists(trainer.CheckpointPath), context.Progress);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, GuidanceAccuracyFile),
            JsonSerializer.Serialize(result.AccuracyByBand, new JsonSerializerOptions { WriteIndented = true }));
    }

    private const string GuidanceAccuracyFile = "accuracy-by-timestep.json";

    /// <summary>The guidance classifier's test accuracy per band of t, or null before its cell has run.</summary>
    public static IReadOnlyList<Diffusion.Training.TimestepBandAccuracy>? ReadGuidanceAccuracy(string experimentFolder, StudyLevel level)
    {
        var path = Path.Combine(CellPaths.Folder(experimentFolder, GuidanceCell(level)), GuidanceAccuracyFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<List<Diffusion.Training.TimestepBandAccuracy>>(File.ReadAllText(path)) : null;
    }

    /// <summary>Where a synthetic set's images are: the sampling cell's folder, or the external source it names.</summary>
    public static string SyntheticLocation(SyntheticSetSettings set, StudyLevel level, CellContext context) =>
        set.Source != "" ? set.Source : context.FolderOf(SyntheticCell(set.Name, level));

    private void Sample(SyntheticSetSettings set, StudyLevel level, CellContext context)
    {
        if (set.Source != "")
        {
            // An existing set (e.g. curated good.csv): check it opens and prepare its cache once.
            using var existing = DataSources.Open(set.Source, Config.Data.ImageSize, Config.Data.SkipBad, context.Progress);
            return;
        }
        var (unet, header) = DiffusionCheckpoint.Load(Path.Combine(context.FolderOf(DiffusionCell(level)), DiffusionCheckpoint.FileName), useEma: true, device);
        using var model = unet;
        NoiseAwareClassifier? classifier = null;
        if (set.Guidance == "classifier")
            classifier = NoiseClassifierTrainer.Load(Path.Combine(context.FolderOf(GuidanceCell(level)), "checkpoint.bin"), device).Model;
        using var guidance = classifier;
        var options = new SamplingOptions(
            Sampler: set.Sampler == "ddim" ? SamplerKind.Ddim : SamplerKind.Ddpm, Respacing: set.Steps,
            ClassifierScale: set.Guidance == "classifier" ? set.GuidanceScale : 0,
            FreeGuidanceWeight: set.Guidance == "free" ? set.GuidanceScale : 0,
            BatchSize: Math.Max(1, Config.Diffusion.BatchSize), Schedule: header.Options.Schedule, DiffusionSteps: header.Options.DiffusionSteps,
            SigmaSmall: set.SigmaSmall);
        using var data = ExperimentData.Load(context.ExperimentFolder);
        var generator = new ImageGenerator(model, options, classifier);
        // Rounds differ by seed: round r of a set never repeats the images of another round.
        var plan = new BulkGenerationPlan(data.ClassNames, set.PerClass, Rounds: 1, Seed: set.Seed + 1_000_003L * set.Round);
        new BulkGenerator(generator, context.Folder).Run(plan, context.Progress);
        SamplingFigures.Write(generator, model, plan, context.Folder, header.DescribeWeights(useEma: true), set.Figures);
    }

    private void MeasureQuality(SyntheticSetSettings set, StudyLevel level, CellContext context)
    {
        var location = SyntheticLocation(set, level, context);
        if (Config.Quality.Judge is { } judge)
        {
            using var images = DataSources.Open(location, Config.Data.ImageSize, Config.Data.SkipBad, context.Progress);
            SyntheticJudge.Evaluate(judge, images.Images, set.Name, context, device);
        }
        if (!Config.Quality.Fid) return;
        using var data = ExperimentData.Load(context.ExperimentFolder);
        var train = data.Subset(Rows(data, level).Generative);
        var manifest = File.Exists(location) ? location : Path.Combine(location, ImageManifest.FileName);
        using var synthetic = new ImagesInput(manifest, ImageFileSource.FromManifest(manifest), owner: null);
        using var real = new ImagesInput("real training images", new LabelledImagesSource(train, "real training images"), train);
        var weights = Config.Quality.InceptionWeights == "" ? null : Config.Quality.InceptionWeights;
        using var extractor = FeatureExtractors.Create(FeatureExtractors.Auto, weights, device);
        var report = QualityEvaluation.Run(synthetic, real, extractor, new QualityOptions(PerClass: true), context.Progress);
        AtomicFile.WriteAllText(Path.Combine(context.Folder, QualityFile), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
    }

    public const string QualityFile = "quality.json";

    private void TrainClassifier(string architecture, ClassifierRunSettings run, int seed, StudyLevel level, CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        var rows = Rows(data, level);
        using var realTrain = data.Subset(rows.Train);
        using var test = data.Subset(data.TestRows);
        using var validation = rows.Validation.Count > 0 ? data.Subset(rows.Validation) : null;
        using var synthetic = run.Synthetic == "" ? null : LoadSynthetic(run.Synthetic, realTrain, level, context);
        var grid = Config.Classifiers;
        var finetune = new TrainingConfig(grid.Epochs, grid.BatchSize, grid.LearningRate, seed);
        var pretrain = finetune with { Epochs = grid.PretrainEpochs ?? grid.Epochs };
        var settings = new RegimeSettings(TrainingRegimes.Parse(run.Regime), finetune, pretrain,
            BatchAugmenter.AsTransform(AugmentationSettings.Parse(run.Augment)),
            BatchAugmenter.AsTransform(AugmentationSettings.Parse(run.PretrainAugment)), ModelSeed: seed);
        var options = new ClassifierOptions(realTrain.Channels, realTrain.ClassNames.Count, Config.Data.ImageSize);
        var runner = new RegimeRunner(settings) { Device = device, Progress = context.Progress };
        bool resume = Directory.EnumerateFiles(context.Folder, "checkpoint.bin", SearchOption.AllDirectories).Any();
        runner.Run(() => ClassifierRegistry.Create(architecture, options), new RegimeData(realTrain, test, validation, synthetic), context.Folder, resume);
    }

    /// <summary>Synthetic sets joined with '+'; "augmented-real" makes traditionally augmented copies of the real training images (Table 12).</summary>
    private LabelledImages LoadSynthetic(string synthetic, LabelledImages realTrain, StudyLevel level, CellContext context)
    {
        var parts = new List<LabelledImages>();
        try
        {
            foreach (var part in ExperimentConfigLoader.SyntheticParts(synthetic))
            {
                if (part == ExperimentConfigLoader.AugmentedRealSet)
                {
                    var size = Config.Synthetic.Count > 0 ? Config.Synthetic[0].PerClass * realTrain.ClassNames.Count : realTrain.Count * 3;
                    parts.Add(AugmentedCopies.Make(realTrain, size, AugmentationSettings.Table12, seed: 0));
                    continue;
                }
                var settings = Config.Synthetic.Single(s => s.Name == part);
                using var set = DataSources.Open(SyntheticLocation(settings, level, context), Config.Data.ImageSize, Config.Data.SkipBad, context.Progress);
                parts.Add(set.Images.Subset(Enumerable.Range(0, set.Images.Count).ToArray()));
            }
            return parts.Count == 1 ? parts[0] : LabelledImages.Concat([.. parts]);
        }
        finally
        {
            if (parts.Count > 1) foreach (var part in parts) part.Dispose();
        }
    }

    private void Ensemble(ClassifierRunSettings run, StudyLevel level, CellContext context)
    {
        var grid = Config.Classifiers;
        var perArchitecture = new List<PredictionTable>();
        var names = new List<string>();
        var results = new List<EnsembleRecord>();
        foreach (var architecture in grid.Architectures)
        {
            var seeds = grid.Seeds.Select(s => new RunFolder(context.FolderOf(ClassifierCell(architecture, run, s, level))).ReadPredictions()).ToList();
            var vote = seeds.Count > 1 ? MajorityVote.Vote(seeds) : seeds[0];
            if (seeds.Count > 1)
            {
                vote.Write(Path.Combine(context.Folder, $"{architecture}-seeds.csv"));
                results.Add(new EnsembleRecord($"{architecture} ({seeds.Count} seeds)", [architecture], vote.Accuracy));
            }
            perArchitecture.Add(vote);
            names.Add(architecture);
        }
        var sizes = grid.EnsembleSizes.Where(k => k <= perArchitecture.Count).ToList();
        foreach (var outcome in sizes.Count == 0 ? [] : EnsembleCombinations.Sweep(perArchitecture, names, sizes, soft: false))
        {
            var key = string.Join("+", outcome.MemberNames);
            outcome.Predictions.Write(Path.Combine(context.Folder, $"{key}.csv"));
            results.Add(new EnsembleRecord(key, [.. outcome.MemberNames], outcome.Accuracy));
        }
        AtomicFile.WriteAllText(Path.Combine(context.Folder, EnsemblesFile), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    }

    public const string EnsemblesFile = "ensembles.json";
    public const string ComparisonFile = "comparison.json";

    private void Compare(string method, IReadOnlyList<string> memberCells, StudyLevel level, CellContext context)
    {
        using var data = ExperimentData.Load(context.ExperimentFolder, context.Progress);
        using var train = data.Subset(Rows(data, level).Train);
        using var test = data.Subset(data.TestRows);
        var options = new ClassifierOptions(train.Channels, train.ClassNames.Count, Config.Data.ImageSize);
        var models = new List<ImageClassifier>();
        try
        {
            foreach (var (architecture, cell) in Config.Classifiers.Architectures.Zip(memberCells))
                models.Add(new RunFolder(context.FolderOf(cell)).LoadModel(architecture, options, device));
            var predictions = ComparisonMethods.Run(method, models, train, test, new ComparisonSettings(Seed: Config.Classifiers.Seeds[0]), device, context.Progress);
            predictions.Write(Path.Combine(context.Folder, RunFolder.PredictionsFile));
            var record = new EnsembleRecord(ComparisonMethods.PaperRow(method), [.. Config.Classifiers.Architectures], predictions.Accuracy);
            AtomicFile.WriteAllText(Path.Combine(context.Folder, ComparisonFile), JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    public sealed record EnsembleRecord(string Name, string[] Members, double Accuracy);

    private static NoiseScheduleKind ParseSchedule(string name) => name.ToLowerInvariant() switch
    {
        "linear" => NoiseScheduleKind.Linear,
        "cosine" => NoiseScheduleKind.Cosine,
        _ => throw new InputError($"diffusion.schedule '{name}' is not one of linear, cosine."),
    };
}
