using SonoSynth.Quality;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class KernelInceptionDistanceTests
{
    [Fact]
    public void UnbiasedMmdMatchesHandComputedValue()
    {
        // d = 1, k(a,b) = (ab + 1)³. X = {0, 1}, Y = {1, 2}.
        // Off-diagonal sums: k(0,1)·2 = 2, k(1,2)·2 = 54; cross: k(0,1)+k(0,2)+k(1,1)+k(1,2) = 1+1+8+27 = 37.
        // MMD² = (2 + 54)/(2·1) − 2·37/(2·2) = 28 − 18.5 = 9.5.
        using var x = tensor(new double[] { 0, 1 }).reshape(2, 1);
        using var y = tensor(new double[] { 1, 2 }).reshape(2, 1);
        Assert.Equal(9.5, KernelInceptionDistance.UnbiasedMmd2(x, y), 1e-12);
    }

    [Fact]
    public void IdenticalSetsGiveNearZeroAndShiftedSetsClearlyMore()
    {
        using var generator = new Generator(11);
        using var features = randn([400, 16], dtype: ScalarType.Float64, generator: generator);
        using var shifted = features + 1.0;
        using var kidGenerator = new Generator(12);
        var same = KernelInceptionDistance.Compute(features, features, kidGenerator, subsets: 20, subsetSize: 200);
        var different = KernelInceptionDistance.Compute(features, shifted, kidGenerator, subsets: 20, subsetSize: 200);
        Assert.Equal(200, same.SubsetSize);
        Assert.True(Math.Abs(same.Mean) < 0.05 * different.Mean, $"same {same.Mean}, different {different.Mean}");
        Assert.True(different.Mean > 0.5);
    }

    [Fact]
    public void SameSeedGivesSameEstimate()
    {
        using var generator = new Generator(13);
        using var x = randn([50, 4], dtype: ScalarType.Float64, generator: generator);
        using var y = randn([60, 4], dtype: ScalarType.Float64, generator: generator);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        Assert.Equal(KernelInceptionDistance.Compute(x, y, g1, 10, 1000), KernelInceptionDistance.Compute(x, y, g2, 10, 1000));
    }
}
