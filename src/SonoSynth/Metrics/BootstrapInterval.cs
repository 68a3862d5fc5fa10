using static TorchSharp.torch;

namespace SonoSynth.Metrics;

/// <summary>A point estimate with a percentile-bootstrap confidence interval.</summary>
public sealed record ConfidenceInterval(double Estimate, double Lower, double Upper, double Level, int Resamples);

/// <summary>
/// Percentile bootstrap of test accuracy: resample the test images with replacement (seeded torch Generator),
/// recompute accuracy, take the (1-level)/2 and (1+level)/2 quantiles (linear interpolation, numpy's default).
/// Says how much the accuracy would move on another test set of the same size from the same population.
/// </summary>
public static class BootstrapInterval
{
    public static ConfidenceInterval Accuracy(IReadOnlyList<bool> correct, int resamples = 2000, double level = 0.95, long seed = 0)
    {
        if (correct.Count == 0) throw new ArgumentException("No predictions to bootstrap.");
        if (resamples < 1) throw new ArgumentException("resamples must be at least 1.");
        int n = correct.Count;
        var hits = new float[n];
        for (int i = 0; i < n; i++) hits[i] = correct[i] ? 1 : 0;
        using var scope = NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var values = tensor(hits);
        var accuracies = new double[resamples];
        const int chunk = 256; // bounds memory at chunk x n indices
        for (int start = 0; start < resamples; start += chunk)
        {
            using var inner = NewDisposeScope();
            int count = Math.Min(chunk, resamples - start);
            var rows = randint(0, n, [count, n], generator: generator, dtype: ScalarType.Int64);
            var means = values.index_select(0, rows.flatten()).reshape(count, n).to_type(ScalarType.Float64).mean([1]);
            var data = means.data<double>().ToArray();
            Array.Copy(data, 0, accuracies, start, count);
        }
        Array.Sort(accuracies);
        double estimate = hits.Sum() / (double)n;
        return new ConfidenceInterval(estimate, Quantile(accuracies, (1 - level) / 2), Quantile(accuracies, (1 + level) / 2), level, resamples);
    }

    /// <summary>numpy.percentile's default ("linear") on sorted values; q in [0,1].</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
