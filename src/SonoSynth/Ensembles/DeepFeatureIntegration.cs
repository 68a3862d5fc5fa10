using SonoSynth.Data;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Inference;
using static TorchSharp.torch;

namespace SonoSynth.Ensembles;

/// <summary>
/// Deep feature integration with a multi-layer perceptron, after Krishna &amp; Kokil (2023), Biomedical Signal
/// Processing and Control 86:105283: deep features from several CNNs (theirs: AlexNet and VGG-19, each ending in
/// global average pooling) are concatenated into one vector per image and classified by an MLP.
/// <para>What we had to assume (their code is not public):</para>
/// <list type="bullet">
/// <item>The backbones are any <see cref="ImageClassifier"/>s (typically trained on the same training split); their
/// pooled <see cref="ImageClassifier.ForwardFeatures"/> output stands for the GAP layer. Backbones are frozen.</item>
/// <item>The MLP's shape and training schedule are <see cref="MlpOptions.Default"/> (see there); features are
/// standardised with the training set's mean and standard deviation.</item>
/// </list>
/// </summary>
public sealed class DeepFeatureIntegration : IDisposable
{
    private readonly IReadOnlyList<ImageClassifier> backbones;
    private readonly MlpClassifier mlp;
    private readonly Device device;

    private DeepFeatureIntegration(IReadOnlyList<ImageClassifier> backbones, MlpClassifier mlp, Device device)
    {
        this.backbones = backbones;
        this.mlp = mlp;
        this.device = device;
    }

    public static DeepFeatureIntegration Fit(IReadOnlyList<ImageClassifier> backbones, LabelledImages train, MlpOptions? options = null,
        Device? device = null)
    {
        if (backbones.Count == 0) throw new ArgumentException("Deep feature integration needs at least one backbone.");
        device ??= CPU;
        using var features = IntegratedFeatures(backbones, train, device);
        var mlp = MlpClassifier.Fit(features, train.Labels, train.ClassNames.Count, options ?? MlpOptions.Default);
        return new DeepFeatureIntegration(backbones, mlp, device);
    }

    public PredictionTable Predict(LabelledImages images)
    {
        using var features = IntegratedFeatures(backbones, images, device);
        var probabilities = mlp.PredictProbabilities(features);
        var rows = new PredictionRow[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var p = probabilities[i];
            int predicted = 0;
            for (int c = 1; c < p.Length; c++) if (p[c] > p[predicted]) predicted = c;
            rows[i] = new PredictionRow(images.Ids[i], (int)images.Labels[i], predicted, p);
        }
        return new PredictionTable(images.ClassNames, rows);
    }

    /// <summary>[N x sum of FeatureCount]: each backbone's pooled features side by side.</summary>
    public static Tensor IntegratedFeatures(IReadOnlyList<ImageClassifier> backbones, LabelledImages images, Device device)
    {
        var parts = backbones.Select(b => ModelPredictor.Features(b, images, device)).ToArray();
        try { return cat(parts, 1); }
        finally { foreach (var part in parts) part.Dispose(); }
    }

    public void Dispose() => mlp.Dispose();
}
