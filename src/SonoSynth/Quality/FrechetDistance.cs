using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>
/// Fréchet distance between two Gaussians N(μ1, Σ1), N(μ2, Σ2), as in pytorch-fid / TTUR:
/// d² = ‖μ1 − μ2‖² + Tr(Σ1) + Tr(Σ2) − 2·Tr((Σ1Σ2)^½).
/// </summary>
/// <remarks>
/// pytorch-fid takes scipy.linalg.sqrtm(Σ1Σ2) and keeps only its trace. We compute that trace without forming the
/// non-symmetric product: Σ1Σ2 = Σ1^½·(Σ1^½Σ2) and M = (Σ1^½Σ2)·Σ1^½ = Σ1^½Σ2Σ1^½ have the same eigenvalues
/// (AB and BA always do), M is symmetric positive semi-definite, and the principal square root of Σ1Σ2 has the
/// square roots of those eigenvalues as its eigenvalues. So Tr((Σ1Σ2)^½) = Σᵢ √λᵢ(M), where M comes from two
/// symmetric eigen decompositions (torch.linalg.eigh, float64): stable, real by construction, and equal to scipy's
/// trace wherever scipy's sqrtm converges.
/// </remarks>
public static class FrechetDistance
{
    /// <summary>pytorch-fid's offset added to both diagonals when the product is singular.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>Largest imaginary part of √λ tolerated from round-off, as pytorch-fid's atol on diag(covmean).imag.</summary>
    public const double ImaginaryTolerance = 1e-3;

    public static double Compute(FeatureStatistics a, FeatureStatistics b, double epsilon = DefaultEpsilon)
    {
        if (a.Dimension != b.Dimension)
            throw new ArgumentException($"The two feature sets have different dimensions ({a.Dimension} and {b.Dimension}); " +
                "both must come from the same feature extractor.");
        using var scope = NewDisposeScope();
        var difference = a.Mean - b.Mean;
        double meanTerm = difference.dot(difference).item<double>();
        double traceA = a.Covariance.trace().item<double>(), traceB = b.Covariance.trace().item<double>();
        double traceSqrt = TraceOfSqrtProduct(a.Covariance, b.Covariance);
        if (!double.IsFinite(traceSqrt))
        {
            // pytorch-fid: "fid calculation produces singular product; adding eps to diagonal of cov estimates".
            var offset = eye(a.Dimension, dtype: ScalarType.Float64) * epsilon;
            traceSqrt = TraceOfSqrtProduct(a.Covariance + offset, b.Covariance + offset);
        }
        return meanTerm + traceA + traceB - 2 * traceSqrt;
    }

    /// <summary>
    /// Tr((Σ1Σ2)^½) for symmetric PSD Σ1, Σ2 (float64). Throws when an eigenvalue is so negative that the
    /// square root would carry an imaginary part above <see cref="ImaginaryTolerance"/> (inputs not PSD).
    /// </summary>
    public static double TraceOfSqrtProduct(Tensor sigma1, Tensor sigma2)
    {
        using var scope = NewDisposeScope();
        var s1 = Symmetrize(sigma1.to_type(ScalarType.Float64));
        var s2 = Symmetrize(sigma2.to_type(ScalarType.Float64));
        var (values1, vectors1) = linalg.eigh(s1);
        var sqrtS1 = (vectors1 * ZeroBelowNoiseFloor(values1).sqrt().unsqueeze(0)).matmul(vectors1.t());
        var middle = Symmetrize(sqrtS1.matmul(s2).matmul(sqrtS1));
        var eigenvalues = linalg.eigvalsh(middle);
        double smallest = eigenvalues.min().item<double>();
        if (double.IsFinite(smallest) && smallest < 0 && Math.Sqrt(-smallest) > ImaginaryTolerance)
            throw new ArithmeticException($"Imaginary component {Math.Sqrt(-smallest):G3} in the matrix square root: " +
                "a covariance is not positive semi-definite. Check the statistics files.");
        return ZeroBelowNoiseFloor(eigenvalues).sqrt().sum().item<double>();
    }

    private const double MachineEpsilon = 2.220446049250313e-16; // float64 ulp at 1 (np.finfo(float).eps)

    /// <summary>
    /// Eigenvalues of a PSD matrix below the round-off floor (numpy's matrix_rank tolerance) are zeros: √ would turn
    /// 1e-15 noise into 3e-8 per eigenvalue, which adds up with rank-deficient covariances (fewer images than dimensions).
    /// </summary>
    private static Tensor ZeroBelowNoiseFloor(Tensor eigenvalues)
    {
        double largest = eigenvalues.abs().max().item<double>();
        double noiseFloor = largest * eigenvalues.shape[0] * MachineEpsilon;
        return eigenvalues.where(eigenvalues.gt(noiseFloor), 0.0);
    }

    private static Tensor Symmetrize(Tensor matrix) => (matrix + matrix.t()) * 0.5;
}
