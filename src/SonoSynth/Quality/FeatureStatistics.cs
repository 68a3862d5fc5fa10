using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>
/// Mean and covariance of a feature set, in float64 on the CPU: the Gaussian that the Fréchet distance compares.
/// Computed as pytorch-fid does (np.mean(axis=0), np.cov(rowvar=False), i.e. divided by N-1).
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    public FeatureStatistics(Tensor mean, Tensor covariance, long count)
    {
        if (mean.dim() != 1 || covariance.dim() != 2 || covariance.shape[0] != mean.shape[0] || covariance.shape[1] != mean.shape[0])
            throw new ArgumentException($"Mean must be [D] and covariance [D x D]; got [{string.Join("x", mean.shape)}] and [{string.Join("x", covariance.shape)}].");
        Mean = mean.to_type(ScalarType.Float64).cpu().DetachFromDisposeScope();
        Covariance = covariance.to_type(ScalarType.Float64).cpu().DetachFromDisposeScope();
        Count = count;
    }

    /// <summary>float64 [D].</summary>
    public Tensor Mean { get; }
    /// <summary>float64 [D x D].</summary>
    public Tensor Covariance { get; }
    /// <summary>Number of feature rows behind the statistics; 0 when they were loaded without it (.npz).</summary>
    public long Count { get; }
    public int Dimension => (int)Mean.shape[0];

    /// <summary>Statistics of <paramref name="features"/> [N x D] (rows = images), N ≥ 2.</summary>
    public static FeatureStatistics FromFeatures(Tensor features)
    {
        if (features.dim() != 2)
            throw new ArgumentException($"Features must be [N x D]; got [{string.Join("x", features.shape)}].");
        long count = features.shape[0];
        if (count < 2)
            throw new ArgumentException($"A covariance needs at least 2 feature rows; got {count}.");
        using var scope = NewDisposeScope();
        // float64 before centring: 2048-d sums over thousands of rows lose digits in float32.
        var rows = features.to_type(ScalarType.Float64).cpu();
        var mean = rows.mean([0]);
        var centred = rows - mean;
        var covariance = centred.t().matmul(centred).div_(count - 1);
        return new FeatureStatistics(mean, covariance, count);
    }

    /// <summary>An independent copy (its own tensors).</summary>
    public FeatureStatistics Copy() => new(Mean.clone(), Covariance.clone(), Count);

    public void Dispose()
    {
        Mean.Dispose();
        Covariance.Dispose();
    }
}
