using System.Diagnostics;
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Features;

/// <summary>Runs a feature extractor over an image source in batches.</summary>
public static class FeatureExtraction
{
    /// <summary>
    /// Features of every image, float64 [N x D] on the CPU, in source order. Reports
    /// <c>ProgressUpdate(stage, done, N, features/s)</c> after each batch.
    /// </summary>
    public static Tensor Run(IFeatureExtractor extractor, IImageSource source, int batchSize,
        IProgress<ProgressUpdate>? progress = null, string stage = "features")
    {
        if (batchSize < 1) throw new ArgumentException($"--batch-size must be at least 1; got {batchSize}.");
        var result = zeros([source.Count, extractor.FeatureCount], dtype: ScalarType.Float64);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < source.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(batchSize, source.Count - start)).ToList();
            var features = extractor.Extract(source.LoadBatch(rows, extractor.InputSize));
            result.narrow(0, start, rows.Count).copy_(features);
            long done = start + rows.Count;
            progress?.Report(ProgressUpdate.Of(stage, done, source.Count, ("features/s", done / Math.Max(1e-9, clock.Elapsed.TotalSeconds))));
        }
        return result;
    }
}
