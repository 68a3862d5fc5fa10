using SonoSynth.Training;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace SonoSynth.Experiments;

/// <summary>Reads an experiment config (YAML, or JSON — a subset of YAML) and validates it with errors that say where and what to do.</summary>
public static class ExperimentConfigLoader
{
    public const string AugmentedRealSet = "augmented-real";

    public static ExperimentConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new InputError($"Config file '{path}' not found. See configs/ for examples (configs/demo.yaml, configs/paper/table5.yaml).");
        return Parse(File.ReadAllText(path), path);
    }

    public static ExperimentConfig Parse(string text, string source = "<config>")
    {
        var wordProblems = new List<string>();
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithTypeConverter(new ConfigNames.YamlConverter(wordProblems)).Build();
        ExperimentConfig? config;
        try
        {
            config = deserializer.Deserialize<ExperimentConfig>(text);
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Replace("SonoSynth.Experiments.", "");
            throw new InputError($"{source}, line {e.Start.Line}, column {e.Start.Column}: {reason} " +
                "Keys are camelCase; see configs/README.md for every key.", e);
        }
        config ??= new ExperimentConfig();
        // Unknown words come first (the enum then holds its first value, so a check below may repeat the symptom).
        var problems = wordProblems.Concat(Validate(config)).ToList();
        if (problems.Count > 0)
            throw new InputError($"{source} is not a valid experiment:\n  - " + string.Join("\n  - ", problems));
        return config;
    }

    /// <summary>Every problem found (empty when valid), each naming the key and the allowed values.</summary>
    public static List<string> Validate(ExperimentConfig config, IReadOnlyCollection<string>? knownArchitectures = null)
    {
        var problems = new List<string>();
        void Check(bool ok, string message) { if (!ok) problems.Add(message); }

        Check(config.Data.ImageSize is >= 16 and <= 1024, $"data.imageSize must be 16..1024 (got {config.Data.ImageSize}).");
        Check(config.Data.ValidationFraction is >= 0 and < 0.5, $"data.validationFraction must be in [0, 0.5) (got {config.Data.ValidationFraction}).");
        Check(config.Data.Source != "phantom" || config.Data.PhantomPerClass >= 5, "data.phantomPerClass must be at least 5.");
        Check(config.Data.PhantomImageSize is >= 16 and <= 1024, $"data.phantomImageSize must be 16..1024 (got {config.Data.PhantomImageSize}).");
        Check(config.Data.TrainPerClass.All(n => n >= 2), "data.trainPerClass: every size must be at least 2 images per class.");
        Check(config.Data.TrainPerClass.Distinct().Count() == config.Data.TrainPerClass.Count, "data.trainPerClass has duplicates.");
        Check(config.Diffusion.TrainSteps > 0, "diffusion.trainSteps must be positive.");
        Check(config.Diffusion.LabelDropout is >= 0 and < 1, "diffusion.labelDropout must be in [0, 1).");
        Check(config.Diffusion.EmaRate is >= 0 and < 1, "diffusion.emaRate must be in [0, 1).");
        Check(config.Diffusion.ClassifierBatchSize is null or > 0, "diffusion.classifierBatchSize must be positive.");
        Check(config.Diffusion.ClassifierMicrobatch >= 0, "diffusion.classifierMicrobatch must be 0 (whole batch) or positive.");
        Check(config.Diffusion.EmaWarmup || config.Diffusion.EmaRate < 0.999 || config.Diffusion.TrainSteps >= 20_000,
            $"diffusion.emaRate {config.Diffusion.EmaRate} without emaWarmup averages over ~{(int)(1 / (1 - config.Diffusion.EmaRate))} steps, " +
            $"more than trainSteps {config.Diffusion.TrainSteps} can fill: the sampled weights would stay near their initial values. " +
            "Set emaWarmup: true or a lower emaRate.");

        var setNames = new HashSet<string>();
        foreach (var set in config.Synthetic)
        {
            var where = $"synthetic '{set.Name}'";
            Check(setNames.Add(set.Name), $"{where}: two synthetic sets share this name.");
            Check(set.Name != AugmentedRealSet && !set.Name.Contains('+'), $"{where}: the name may not contain '+' or be '{AugmentedRealSet}'.");
            Check(set.PerClass > 0, $"{where}: perClass must be positive.");
            Check(set.Guidance != SyntheticGuidance.Free || config.Diffusion.LabelDropout > 0,
                $"{where}: classifier-free guidance needs a model trained with label dropout (set diffusion.labelDropout, e.g. 0.1).");
            Check(set.Guidance != SyntheticGuidance.Free || config.Diffusion.ClassConditional,
                $"{where}: guidance '{ConfigNames.Name(set.Guidance)}' needs diffusion.classConditional: true.");
        }

        var grid = config.Classifiers;
        if (knownArchitectures is not null)
            foreach (var architecture in grid.Architectures)
                Check(knownArchitectures.Contains(architecture),
                    $"classifiers.architectures: unknown '{architecture}'. Choose from {string.Join(", ", knownArchitectures)}.");
        Check(grid.Epochs > 0, "classifiers.epochs must be positive.");
        Check(grid.Seeds.Count > 0, "classifiers.seeds must list at least one seed.");
        Check(grid.Seeds.Distinct().Count() == grid.Seeds.Count, "classifiers.seeds has duplicates.");
        for (int i = 0; i < grid.Runs.Count; i++)
        {
            var run = grid.Runs[i];
            var where = $"classifiers.runs[{i}]";
            bool needsSynthetic = run.Regime.NeedsSynthetic();
            Check(!needsSynthetic || run.Synthetic != "", $"{where}: regime '{run.Regime.Name()}' needs synthetic: <set name>.");
            Check(needsSynthetic || run.Synthetic == "", $"{where}: real-only takes no synthetic set.");
            foreach (var part in SyntheticParts(run.Synthetic))
                Check(part == AugmentedRealSet || setNames.Contains(part),
                    $"{where}: synthetic set '{part}' is not defined under synthetic: (defined: {string.Join(", ", setNames)}).");
        }
        Check(grid.EnsembleRun < grid.Runs.Count, $"classifiers.ensembleRun {grid.EnsembleRun} is past the last run.");
        Check(!grid.ComparisonMethods || grid.EnsembleRun >= 0,
            "classifiers.comparisonMethods needs classifiers.ensembleRun: the run whose trained models the comparison methods combine.");
        foreach (var size in grid.EnsembleSizes)
            Check(size >= 2 && size <= Math.Max(grid.Architectures.Count, grid.Seeds.Count),
                $"classifiers.ensembleSizes: {size} must be between 2 and the number of architectures or seeds.");
        if (config.Quality.Judge is { } judge)
        {
            Check(knownArchitectures is null || knownArchitectures.Contains(judge.Architecture),
                $"quality.judge.architecture: unknown '{judge.Architecture}'. Choose from {string.Join(", ", knownArchitectures ?? [])}.");
            Check(judge.Epochs > 0 && judge.BatchSize >= 2 && judge.LearningRate > 0,
                "quality.judge: epochs must be positive, batchSize at least 2 and learningRate positive.");
        }
        foreach (var table in config.Tables)
            Check(table is >= 3 and <= 14, $"tables: {table} is not one of the paper's tables 3–14.");
        return problems;
    }

    public static IEnumerable<string> SyntheticParts(string synthetic) =>
        synthetic.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
