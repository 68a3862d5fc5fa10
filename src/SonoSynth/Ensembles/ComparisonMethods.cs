using SonoSynth.Data;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Runtime;
using static TorchSharp.torch;

namespace SonoSynth.Ensembles;

/// <summary>Settings of Table 11's comparison methods: forest size (stacked) and MLP epochs (feature integration).</summary>
public sealed record ComparisonSettings(int Trees = 100, int MlpEpochs = 100, long Seed = 0);

/// <summary>
/// Table 11's two comparison methods by name, over trained base models, fitted on the training split and evaluated
/// on the test split: the stacked ensemble and deep feature integration. Shared by `classify compare` and the grid.
/// </summary>
public static class ComparisonMethods
{
    public const string Stacked = "stacked";
    public const string FeatureIntegration = "feature-integration";

    public static IReadOnlyList<string> Names { get; } = [Stacked, FeatureIntegration];

    /// <summary>The row name of each method in the paper's Table 11 (and in <c>PaperResults.Table11</c>).</summary>
    public static string PaperRow(string method) => Parse(method) == Stacked ? "stacked-ensemble" : "deep-feature-integration";

    /// <summary>Stacked: CNN softmax + a random forest on each model's deep features, absolute majority vote.
    /// Feature integration: the concatenated pooled features of every backbone → MLP.</summary>
    public static string DisplayName(string method) => Parse(method) == Stacked
        ? "Stacked ensemble (Krishna & Kokil 2024)" : "Deep feature integration (Krishna & Kokil 2023)";

    public static string Parse(string method)
    {
        var name = method.Trim().ToLowerInvariant();
        return Names.Contains(name) ? name : throw new InputError($"Comparison method '{method}': choose {string.Join(" or ", Names)}.");
    }

    public static PredictionTable Run(string method, IReadOnlyList<ImageClassifier> models, LabelledImages train, LabelledImages test,
        ComparisonSettings settings, Device device, IProgress<ProgressUpdate>? progress = null)
    {
        if (Parse(method) == Stacked)
            return StackedEnsemble.Fit(models, train, new RandomForestOptions(Trees: settings.Trees, Seed: settings.Seed), device, progress).Predict(test);
        using var integration = DeepFeatureIntegration.Fit(models, train, MlpOptions.Default with { Epochs = settings.MlpEpochs, Seed = settings.Seed }, device);
        return integration.Predict(test);
    }
}
