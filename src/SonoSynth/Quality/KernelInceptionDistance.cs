using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>KID over random subsets: the mean and (population) standard deviation of the per-subset MMD² estimates.</summary>
public sealed record KidResult(double Mean, double StandardDeviation, int Subsets, int SubsetSize);

/// <summary>
/// Kernel Inception Distance (Bińkowski et al. 2018), as torch-fidelity computes it: the unbiased MMD² with the
/// cubic polynomial kernel k(x, y) = (x·y / d + 1)³, averaged over random equal-size subsets of both sets.
/// Unbiased, so identical distributions give values scattered around 0 (slightly negative is normal).
/// </summary>
public static class KernelInceptionDistance
{
    // torch-fidelity's defaults (kid_subsets, kid_subset_size).
    public const int DefaultSubsets = 100;
    public const int DefaultSubsetSize = 1000;

    /// <summary>
    /// <paramref name="first"/>, <paramref name="second"/>: [N x D] features. The subset size is clamped to the smaller
    /// set (torch-fidelity refuses instead; the used size is in the result, and QualityEvaluation adds a note). Subsets are drawn without replacement.
    /// </summary>
    public static KidResult Compute(Tensor first, Tensor second, Generator generator,
        int subsets = DefaultSubsets, int subsetSize = DefaultSubsetSize)
    {
        if (first.shape[1] != second.shape[1])
            throw new ArgumentException($"Feature dimensions differ: {first.shape[1]} and {second.shape[1]}.");
        int size = (int)Math.Min(subsetSize, Math.Min(first.shape[0], second.shape[0]));
        if (size < 2)
            throw new ArgumentException("KID needs at least 2 images in each set.");
        var estimates = new double[subsets];
        using (var _ = NewDisposeScope())
        {
            var x = first.to_type(ScalarType.Float64).cpu();
            var y = second.to_type(ScalarType.Float64).cpu();
            for (int s = 0; s < subsets; s++)
            {
                using var step = NewDisposeScope();
                var pickX = x.index_select(0, randperm(x.shape[0], generator: generator)[..size]);
                var pickY = y.index_select(0, randperm(y.shape[0], generator: generator)[..size]);
                estimates[s] = UnbiasedMmd2(pickX, pickY);
            }
        }
        double mean = estimates.Average();
        double std = Math.Sqrt(estimates.Select(e => (e - mean) * (e - mean)).Average()); // np.std, ddof=0
        return new KidResult(mean, std, subsets, size);
    }

    /// <summary>Unbiased MMD² of two equal-size samples [m x D] with the cubic polynomial kernel.</summary>
    public static double UnbiasedMmd2(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        long m = x.shape[0];
        if (y.shape[0] != m) throw new ArgumentException("The unbiased estimate here needs equal-size samples.");
        double d = x.shape[1];
        var kxx = x.matmul(x.t()).div_(d).add_(1).pow_(3);
        var kyy = y.matmul(y.t()).div_(d).add_(1).pow_(3);
        var kxy = x.matmul(y.t()).div_(d).add_(1).pow_(3);
        // Off-diagonal means of k(x,x') and k(y,y') minus twice the mean of k(x,y).
        double withinX = (kxx.sum() - kxx.trace()).item<double>();
        double withinY = (kyy.sum() - kyy.trace()).item<double>();
        double across = kxy.sum().item<double>();
        return (withinX + withinY) / (m * (m - 1.0)) - 2 * across / ((double)m * m);
    }
}
