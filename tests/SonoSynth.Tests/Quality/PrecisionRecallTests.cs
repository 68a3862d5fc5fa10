using SonoSynth.Quality;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class PrecisionRecallTests
{
    [Fact]
    public void HandCheckedOneDimensionalCase()
    {
        // k = 1. Real {0,1,2,3,10}: radii 1,1,1,1,7. Generated {0.5, 20}: radii 19.5 each.
        // Precision: 0.5 is inside the ball of 0; 20 is 10 from 10 (> 7) → 1/2.
        // Recall: every real point is within 19.5 of 0.5 → 5/5.
        using var real = tensor(new double[] { 0, 1, 2, 3, 10 }).reshape(5, 1);
        using var generated = tensor(new double[] { 0.5, 20 }).reshape(2, 1);
        var result = PrecisionRecall.Compute(real, generated, neighbourCount: 1);
        Assert.Equal(0.5, result.Precision);
        Assert.Equal(1.0, result.Recall);
    }

    [Fact]
    public void IdenticalSetsHavePerfectPrecisionAndRecall()
    {
        using var generator = new Generator(21);
        using var features = randn([60, 8], dtype: ScalarType.Float64, generator: generator);
        var result = PrecisionRecall.Compute(features, features);
        Assert.Equal(1.0, result.Precision);
        Assert.Equal(1.0, result.Recall);
    }

    [Fact]
    public void DisjointClustersHaveNoPrecisionOrRecall()
    {
        using var generator = new Generator(22);
        using var real = randn([40, 8], dtype: ScalarType.Float64, generator: generator);
        using var generated = randn([40, 8], dtype: ScalarType.Float64, generator: generator) + 50.0;
        var result = PrecisionRecall.Compute(real, generated);
        Assert.Equal(0.0, result.Precision);
        Assert.Equal(0.0, result.Recall);
    }

    [Fact]
    public void MissingModeLowersRecallButNotPrecision()
    {
        // Real data has two clusters; the generator covers only one of them (mode collapse).
        using var generator = new Generator(23);
        using var clusterA = randn([40, 4], dtype: ScalarType.Float64, generator: generator);
        using var clusterB = randn([40, 4], dtype: ScalarType.Float64, generator: generator) + 30.0;
        using var real = cat([clusterA, clusterB], 0);
        using var generated = randn([40, 4], dtype: ScalarType.Float64, generator: generator);
        var result = PrecisionRecall.Compute(real, generated);
        Assert.True(result.Precision > 0.8, $"precision {result.Precision}");
        Assert.True(result.Recall is > 0.3 and < 0.6, $"recall {result.Recall}");
    }
}
