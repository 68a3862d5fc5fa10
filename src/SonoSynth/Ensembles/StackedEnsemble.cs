using SonoSynth.Data;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Runtime;
using SonoSynth.Inference;
using static TorchSharp.torch;

namespace SonoSynth.Ensembles;

/// <summary>
/// Stacked ensemble of deep models, after Krishna &amp; Kokil (2024), Expert Systems with Applications 238:122153.
/// Their method: three fine-tuned CNNs (AlexNet, VGG-19, DarkNet-19); from each, two predictions — the CNN's own
/// softmax and a random forest trained on the CNN's deep features — and the final class by absolute majority vote
/// over all these predictions.
/// <para>What we had to assume (their code is not public):</para>
/// <list type="bullet">
/// <item>The base CNNs are any already trained <see cref="ImageClassifier"/>s (the paper's Table 11 row used ours;
/// AlexNet/VGG-19/DarkNet-19 are not in SonoSynth). Deep features are the pooled <see cref="ImageClassifier.ForwardFeatures"/>.</item>
/// <item>Each random forest is fitted on the base model's features of the training images with <see cref="RandomForestOptions"/>
/// (scikit-learn-like defaults, 100 trees).</item>
/// <item>"Absolute majority": a class wins if it has more than half of the 2k votes. Without one, the class with the
/// highest mean probability over all 2k predictors wins (then the lowest class index).</item>
/// </list>
/// </summary>
public sealed class StackedEnsemble
{
    private readonly IReadOnlyList<ImageClassifier> baseModels;
    private readonly IReadOnlyList<RandomForest> forests;
    private readonly Device device;

    private StackedEnsemble(IReadOnlyList<ImageClassifier> baseModels, IReadOnlyList<RandomForest> forests, Device device)
    {
        this.baseModels = baseModels;
        this.forests = forests;
        this.device = device;
    }

    /// <summary>Fits one random forest per base model on its deep features of <paramref name="train"/>. Base models are not changed.</summary>
    public static StackedEnsemble Fit(IReadOnlyList<ImageClassifier> baseModels, LabelledImages train, RandomForestOptions? forest = null,
        Device? device = null, IProgress<ProgressUpdate>? progress = null)
    {
        if (baseModels.Count == 0) throw new ArgumentException("A stacked ensemble needs at least one base model.");
        forest ??= new RandomForestOptions();
        device ??= CPU;
        var labels = train.Labels.Select(l => (int)l).ToArray();
        var forests = new List<RandomForest>();
        for (int m = 0; m < baseModels.Count; m++)
        {
            progress?.Report(ProgressUpdate.Of("stacked ensemble: random forests", m, baseModels.Count));
            using var features = ModelPredictor.Features(baseModels[m], train, device);
            forests.Add(RandomForest.Fit(ToRows(features), labels, train.ClassNames.Count, forest with { Seed = forest.Seed + m }));
        }
        progress?.Report(ProgressUpdate.Of("stacked ensemble: random forests", baseModels.Count, baseModels.Count));
        return new StackedEnsemble(baseModels, forests, device);
    }

    public PredictionTable Predict(LabelledImages images)
    {
        var voters = new List<float[][]>();
        for (int m = 0; m < baseModels.Count; m++)
        {
            voters.Add(ModelPredictor.Probabilities(baseModels[m], images, device));
            using var features = ModelPredictor.Features(baseModels[m], images, device);
            voters.Add(forests[m].PredictProbabilities(ToRows(features)));
        }
        return AbsoluteMajority(voters, images);
    }

    /// <summary>Absolute majority over the voters' argmax; fallback to the highest mean probability (then lowest index).</summary>
    public static PredictionTable AbsoluteMajority(IReadOnlyList<float[][]> voters, LabelledImages images)
    {
        int k = images.ClassNames.Count;
        var rows = new PredictionRow[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var votes = new int[k];
            var mean = new float[k];
            foreach (var voter in voters)
            {
                var p = voter[i];
                int best = 0;
                for (int c = 1; c < k; c++) if (p[c] > p[best]) best = c;
                votes[best]++;
                for (int c = 0; c < k; c++) mean[c] += p[c] / voters.Count;
            }
            int winner = Array.FindIndex(votes, v => 2 * v > voters.Count);
            if (winner < 0)
            {
                winner = 0;
                for (int c = 1; c < k; c++) if (mean[c] > mean[winner]) winner = c;
            }
            rows[i] = new PredictionRow(images.Ids[i], (int)images.Labels[i], winner, mean);
        }
        return new PredictionTable(images.ClassNames, rows);
    }

    internal static float[][] ToRows(Tensor features)
    {
        int n = (int)features.shape[0], f = (int)features.shape[1];
        var flat = features.contiguous().data<float>().ToArray();
        return Enumerable.Range(0, n).Select(i => flat.AsSpan(i * f, f).ToArray()).ToArray();
    }
}
