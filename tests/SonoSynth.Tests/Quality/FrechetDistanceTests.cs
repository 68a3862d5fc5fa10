using SonoSynth.Quality;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class FrechetDistanceTests
{
    private static Tensor RandomFeatures(long rows, long dims, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([rows, dims], dtype: ScalarType.Float64, generator: generator);
    }

    [Fact]
    public void IdenticalSetsHaveZeroDistance()
    {
        using var features = RandomFeatures(300, 16, 1);
        using var a = FeatureStatistics.FromFeatures(features);
        using var b = FeatureStatistics.FromFeatures(features);
        Assert.Equal(0, FrechetDistance.Compute(a, b), 1e-6);
    }

    [Fact]
    public void StatisticsMatchNumpyMeanAndUnbiasedCovariance()
    {
        // Rows (1,2), (3,6), (5,7): mean (3,5); np.cov(rowvar=False) = [[4,5],[5,7]] (divides by N-1 = 2).
        using var features = tensor(new double[] { 1, 2, 3, 6, 5, 7 }).reshape(3, 2);
        using var stats = FeatureStatistics.FromFeatures(features);
        Assert.Equal(new double[] { 3, 5 }, stats.Mean.data<double>().ToArray());
        Assert.Equal(new double[] { 4, 5, 5, 7 }, stats.Covariance.data<double>().ToArray());
    }

    [Fact]
    public void ShiftedMeanGivesSquaredShift()
    {
        using var features = RandomFeatures(200, 8, 2);
        using var shift = tensor(new double[] { 1, -2, 0.5, 0, 3, 0, 0, -1 });
        using var shifted = features + shift;
        using var a = FeatureStatistics.FromFeatures(features);
        using var b = FeatureStatistics.FromFeatures(shifted);
        // ‖Δμ‖² = 1 + 4 + 0.25 + 9 + 1 = 15.25; covariances are equal so the trace terms cancel.
        Assert.Equal(15.25, FrechetDistance.Compute(a, b), 1e-6);
    }

    [Fact]
    public void DiagonalCovariancesMatchScalarFormula()
    {
        double[] variances1 = [1, 4, 9, 0.25], variances2 = [4, 1, 1, 2.25];
        double[] mean1 = [0, 1, 2, 3], mean2 = [1, 1, 0, 3];
        using var a = new FeatureStatistics(tensor(mean1), diag(tensor(variances1)), 0);
        using var b = new FeatureStatistics(tensor(mean2), diag(tensor(variances2)), 0);
        // Σ (σ1 + σ2 − 2√(σ1σ2)) + ‖Δμ‖² = (1+4−4)+(4+1−4)+(9+1−6)+(0.25+2.25−1.5) + (1+0+4+0) = 1+1+4+1+5 = 12.
        Assert.Equal(12, FrechetDistance.Compute(a, b), 1e-9);
    }

    [Fact]
    public void RandomCovariancesMatchDenmanBeaversSquareRootOfProduct()
    {
        const int dims = 12;
        using var b1 = RandomFeatures(dims, dims, 3);
        using var b2 = RandomFeatures(dims, dims, 4);
        // Well-conditioned SPD covariances.
        using var sigma1 = b1.matmul(b1.t()) / dims + eye(dims, dtype: ScalarType.Float64) * 0.5;
        using var sigma2 = b2.matmul(b2.t()) / dims + eye(dims, dtype: ScalarType.Float64) * 0.5;
        using var mu1 = RandomFeatures(1, dims, 5).reshape(dims);
        using var mu2 = RandomFeatures(1, dims, 6).reshape(dims);
        using var a = new FeatureStatistics(mu1, sigma1, 0);
        using var b = new FeatureStatistics(mu2, sigma2, 0);

        // Independent reference: the Denman–Beavers iteration for the principal square root of the
        // non-symmetric product Σ1Σ2 (what scipy.linalg.sqrtm returns), then the FID formula literally.
        var product = sigma1.matmul(sigma2);
        var y = product.clone();
        var z = eye(dims, dtype: ScalarType.Float64);
        for (int i = 0; i < 60; i++)
        {
            var nextY = (y + linalg.inv(z)) * 0.5;
            var nextZ = (z + linalg.inv(y)) * 0.5;
            y = nextY;
            z = nextZ;
        }
        Assert.True((y.matmul(y) - product).abs().max().item<double>() < 1e-9);
        var difference = mu1 - mu2;
        double expected = difference.dot(difference).item<double>() + sigma1.trace().item<double>() +
            sigma2.trace().item<double>() - 2 * y.trace().item<double>();

        Assert.Equal(expected, FrechetDistance.Compute(a, b), 1e-8);
    }

    [Fact]
    public void SingularCovariancesFromFewerImagesThanDimensionsStayFinite()
    {
        // 10 images in 32 dimensions: rank-deficient covariances, the case FID hits with small classes.
        using var x = RandomFeatures(10, 32, 7);
        using var y = RandomFeatures(10, 32, 8);
        using var a = FeatureStatistics.FromFeatures(x);
        using var b = FeatureStatistics.FromFeatures(y);
        double distance = FrechetDistance.Compute(a, b);
        Assert.True(double.IsFinite(distance) && distance > 0);
        Assert.Equal(0, FrechetDistance.Compute(a, a), 1e-6);
    }
}
