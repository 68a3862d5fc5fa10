using SonoSynth.Metrics;

namespace SonoSynth.Tests.Metrics;

public class StatisticsTests
{
    [Theory]
    // References: Python's math.erfc.
    [InlineData(0.1, 0.8875370839817152)]
    [InlineData(0.5, 0.4795001221869535)]
    [InlineData(1.0, 0.15729920705028513)]
    [InlineData(2.0, 0.004677734981047265)]
    [InlineData(2.4, 0.0006885138966450789)]
    [InlineData(2.6, 0.00023603441652934908)]
    [InlineData(3.0, 2.2090496998585438e-05)]
    [InlineData(5.0, 1.5374597944280351e-12)]
    [InlineData(8.0, 1.1224297172982928e-29)]
    public void ErfcMatchesReference(double x, double expected)
    {
        Assert.True(Math.Abs(SpecialFunctions.Erfc(x) - expected) <= 1e-9 * expected, $"erfc({x}) = {SpecialFunctions.Erfc(x)}");
        Assert.True(Math.Abs(SpecialFunctions.Erfc(-x) - (2 - expected)) <= 1e-12);
    }

    [Fact]
    public void McNemarChiSquareWithContinuityCorrectionOnWorkedExample()
    {
        // Wikipedia's McNemar example: b = 121, c = 59. χ² = (|121 − 59| − 1)² / 180 = 3721/180 = 20.672;
        // p = erfc(sqrt(χ²/2)) = 5.450094825427123e-06 (Python).
        var result = McNemarTest.FromCounts(101, 121, 59, 33);
        Assert.Equal(McNemarMethod.ChiSquareWithContinuityCorrection, result.Method);
        Assert.Equal(3721.0 / 180, result.Statistic, 12);
        Assert.True(Math.Abs(result.PValue - 5.450094825427123e-06) < 1e-14);
    }

    [Fact]
    public void McNemarExactForFewDiscordantPairs()
    {
        // b = 3, c = 10: p = 2·(C(13,0)+C(13,1)+C(13,2)+C(13,3))/2^13 = 2·378/8192 = 0.09228515625.
        var first = new List<bool>(); var second = new List<bool>();
        void Add(bool a, bool b, int times) { for (int i = 0; i < times; i++) { first.Add(a); second.Add(b); } }
        Add(true, true, 50); Add(true, false, 3); Add(false, true, 10); Add(false, false, 7);
        var result = McNemarTest.Compare(first, second);
        Assert.Equal(McNemarMethod.ExactBinomial, result.Method);
        Assert.Equal((50L, 3L, 10L, 7L), (result.BothCorrect, result.OnlyFirstCorrect, result.OnlySecondCorrect, result.BothWrong));
        Assert.Equal(0.09228515625, result.PValue, 12);
        // Equal discordant counts: no evidence at all, p = 1.
        Assert.Equal(1.0, McNemarTest.FromCounts(5, 4, 4, 1).PValue, 12);
    }

    [Fact]
    public void QuantileMatchesNumpyLinearInterpolation()
    {
        // numpy.percentile([1, 2, 3, 4], 25) = 1.75; 97.5 → 3.925.
        Assert.Equal(1.75, BootstrapInterval.Quantile([1, 2, 3, 4], 0.25), 12);
        Assert.Equal(3.925, BootstrapInterval.Quantile([1, 2, 3, 4], 0.975), 12);
    }

    [Fact]
    public void BootstrapIntervalIsSeededAndNearTheNormalApproximation()
    {
        var correct = Enumerable.Range(0, 400).Select(i => i % 2 == 0).ToArray();
        var interval = BootstrapInterval.Accuracy(correct, resamples: 2000, seed: 5);
        Assert.Equal(0.5, interval.Estimate, 12);
        // Normal approximation: 0.5 ± 1.96·sqrt(0.25/400) = 0.5 ± 0.049.
        Assert.InRange(interval.Lower, 0.441, 0.461);
        Assert.InRange(interval.Upper, 0.539, 0.559);
        Assert.Equal(interval, BootstrapInterval.Accuracy(correct, resamples: 2000, seed: 5));
        var perfect = BootstrapInterval.Accuracy(Enumerable.Repeat(true, 30).ToArray(), 200, seed: 1);
        Assert.Equal((1.0, 1.0), (perfect.Lower, perfect.Upper));
    }
}
