using SonoSynth.Metrics;

namespace SonoSynth.Tests.Metrics;

/// <summary>Against SciPy's stats.t.interval and stats.ttest_rel (scripts/reference/seed_statistics.py).</summary>
public class SeedStatisticsTests
{
    private static readonly double[] First = [71.25, 68.75, 74.5, 70.0, 69.5];
    private static readonly double[] Second = [66.0, 69.25, 70.5, 64.75, 67.0];

    [Fact]
    public void Mean_interval_equals_scipy_t_interval()
    {
        var interval = SeedStatistics.Mean(First);
        Assert.Equal(70.8, interval.Mean, 12);
        Assert.Equal(2.259701307695334, interval.StandardDeviation, 12);
        Assert.Equal(67.99421023954073, interval.Lower, 9);
        Assert.Equal(73.60578976045926, interval.Upper, 9);
    }

    [Fact]
    public void Paired_comparison_equals_scipy_ttest_rel()
    {
        var comparison = SeedStatistics.Paired(First, Second);
        Assert.Equal(3.3, comparison.MeanDifference, 12);
        Assert.Equal(0.3112887057383098, comparison.Lower, 9);
        Assert.Equal(6.28871129426169, comparison.Upper, 9);
        Assert.Equal(3.0656252628831173, comparison.TStatistic, 9);
        Assert.Equal(0.03745236332329235, comparison.PValue, 9);
        Assert.Equal(4, comparison.FirstBetter);
        Assert.Equal(1, comparison.SecondBetter);
    }

    [Fact]
    public void One_seed_has_no_interval_and_unequal_sides_are_refused()
    {
        Assert.True(double.IsNaN(SeedStatistics.Mean([50.0]).Lower));
        Assert.Throws<ArgumentException>(() => SeedStatistics.Paired([1.0, 2.0], [1.0]));
    }
}
