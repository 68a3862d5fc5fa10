using MathNet.Numerics.Distributions;

namespace SonoSynth.Metrics;

/// <summary>Mean of a metric over seeds with its Student-t confidence interval.</summary>
public sealed record MeanInterval(int Count, double Mean, double StandardDeviation, double Lower, double Upper);

/// <summary>
/// A paired comparison over seeds (first − second): mean difference, its Student-t interval, the paired t-test
/// (scipy.stats.ttest_rel, two-sided) and how many seeds each side won.
/// </summary>
public sealed record PairedComparison(int Pairs, double MeanDifference, double Lower, double Upper, double TStatistic, double PValue,
    int FirstBetter, int SecondBetter);

/// <summary>Statistics over repeated runs (seeds): how sure a mean is, and whether one setting beats another seed for seed.</summary>
public static class SeedStatistics
{
    public static MeanInterval Mean(IReadOnlyList<double> values, double level = 0.95)
    {
        int n = values.Count;
        if (n == 0) return new MeanInterval(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = values.Average();
        if (n == 1) return new MeanInterval(1, mean, double.NaN, double.NaN, double.NaN);
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = StudentT.InvCDF(0, 1, n - 1, 0.5 + level / 2) * sd / Math.Sqrt(n);
        return new MeanInterval(n, mean, sd, mean - half, mean + half);
    }

    /// <summary>Seeds are paired by position: first[i] and second[i] share seed i (and its data order).</summary>
    public static PairedComparison Paired(IReadOnlyList<double> first, IReadOnlyList<double> second, double level = 0.95)
    {
        if (first.Count != second.Count) throw new ArgumentException($"A paired comparison needs as many values on each side ({first.Count} vs {second.Count}).");
        var differences = first.Zip(second, (a, b) => a - b).ToList();
        var interval = Mean(differences, level);
        int n = differences.Count;
        double t = double.NaN, p = double.NaN;
        if (n > 1)
        {
            double standardError = interval.StandardDeviation / Math.Sqrt(n);
            t = standardError > 0 ? interval.Mean / standardError : interval.Mean == 0 ? double.NaN : Math.Sign(interval.Mean) * double.PositiveInfinity;
            p = double.IsNaN(t) ? double.NaN : 2 * StudentT.CDF(0, 1, n - 1, -Math.Abs(t));
        }
        return new PairedComparison(n, interval.Mean, interval.Lower, interval.Upper, t, p,
            differences.Count(d => d > 0), differences.Count(d => d < 0));
    }
}
