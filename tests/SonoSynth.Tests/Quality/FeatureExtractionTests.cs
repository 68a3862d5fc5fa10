using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class FeatureExtractionTests
{
    [Fact]
    public void RandomInceptionGives2048DeterministicFeaturesIndependentOfBatching()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(31);
        for (int i = 0; i < 3; i++) folder.WritePng($"img{i}.png", TestImages.SmoothImage(generator, size: 24));
        var source = ImageFileSource.FromFolder(folder.Path);
        var updates = new List<ProgressUpdate>();

        using var first = FeatureExtractors.CreateRandomInception(CPU);
        using var second = FeatureExtractors.CreateRandomInception(CPU);
        using var together = FeatureExtraction.Run(first, source, batchSize: 3, new SyncProgress(updates.Add));
        using var oneByOne = FeatureExtraction.Run(second, source, batchSize: 1);

        Assert.Equal(new long[] { 3, 2048 }, together.shape);
        Assert.False(first.IsFidInception);
        Assert.True(together.isfinite().all().item<bool>());
        Assert.True(together.abs().sum().item<double>() > 0);
        // Same seed → same weights → same features; eval-mode BatchNorm makes rows independent of the batch.
        Assert.True(together.allclose(oneByOne, rtol: 1e-4, atol: 1e-5));
        // Different images give different features.
        Assert.False(together[0].allclose(together[1]));
        Assert.Equal(3, updates[^1].Done);
        Assert.True(updates[^1].Metrics!["features/s"] > 0);
    }

    [Fact]
    public void GrayIsReplicatedAndScaledToMinusOneOne()
    {
        // A constant gray image of value v enters Inception as 2v − 1 on all three channels: v = 0.5 → all zeros,
        // so with zero biases and identity BatchNorm every activation and feature is exactly 0.
        using var extractor = FeatureExtractors.CreateRandomInception(CPU);
        using var half = full(1, 1, 299, 299, 0.5f);
        using var features = extractor.Extract(half);
        Assert.Equal(0, features.abs().max().item<float>());
    }

    [Fact]
    public void MissingFidWeightsSayWhichFileAndWhere()
    {
        var error = Assert.Throws<InputError>(() => FidInceptionWeights.Locate("/nonexistent/weights.pth"));
        Assert.Contains(FidInceptionWeights.FileName, error.Message);
        Assert.Contains("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/", error.Message);
        Assert.Contains(FidInceptionWeights.DefaultPath, error.Message);
    }

    private sealed class SyncProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }
}
