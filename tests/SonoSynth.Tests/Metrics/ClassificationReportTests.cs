using SonoSynth.Metrics;

namespace SonoSynth.Tests.Metrics;

public class ClassificationReportTests
{
    // Worked on paper. truth = [0,0,0,1,1,2,2,2,2,2], pred = [0,1,0,1,2,2,2,0,2,1]
    // Confusion (rows true): [2 1 0; 0 1 1; 1 1 3]; column totals 3, 3, 4; supports 3, 2, 5.
    // precision = 2/3, 1/3, 3/4; recall = 2/3, 1/2, 3/5; F1 = 2/3, 2/5, 2/3; accuracy = 6/10.
    // sklearn average="weighted": P = (3·2/3 + 2·1/3 + 5·3/4)/10 = 77/120, R = 0.6, F1 = (2 + 0.8 + 10/3)/10 = 46/75.
    // sklearn average="macro": F1 = (2/3 + 2/5 + 2/3)/3 = 26/45.
    private static readonly string[] Classes = ["a", "b", "c"];
    private static readonly int[] Truth = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2];
    private static readonly int[] Predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 1];

    [Fact]
    public void MatchesHandComputedScikitLearnValues()
    {
        var report = ClassificationReport.Compute(Classes, Truth, Predicted);
        Assert.Equal(0.6, report.Accuracy, 12);
        Assert.Equal([2.0 / 3, 1.0 / 3, 3.0 / 4], report.PerClass.Select(c => c.Precision), new Tolerance());
        Assert.Equal([2.0 / 3, 1.0 / 2, 3.0 / 5], report.PerClass.Select(c => c.Recall), new Tolerance());
        Assert.Equal([2.0 / 3, 2.0 / 5, 2.0 / 3], report.PerClass.Select(c => c.F1), new Tolerance());
        Assert.Equal([3L, 2L, 5L], report.PerClass.Select(c => c.Support));
        Assert.Equal(77.0 / 120, report.WeightedPrecision, 12);
        Assert.Equal(0.6, report.WeightedRecall, 12);
        Assert.Equal(46.0 / 75, report.WeightedF1, 12);
        Assert.Equal(26.0 / 45, report.MacroF1, 12);
    }

    [Fact]
    public void ConfusionMatrixCountsAndRowPercent()
    {
        var confusion = ClassificationReport.Compute(Classes, Truth, Predicted).Confusion;
        Assert.Equal(new long[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 1, 1, 3 } }, confusion.Counts);
        var percent = confusion.RowPercent();
        Assert.Equal(20.0, percent[2, 0], 12);
        Assert.Equal(60.0, percent[2, 2], 12);
        Assert.Equal(50.0, percent[1, 2], 12);
    }

    [Fact]
    public void UndefinedRatiosAreZeroLikeZeroDivisionZero()
    {
        // Class "c" is never predicted (precision 0/0 → 0); class "d" never occurs (recall 0/0 → 0, weight 0).
        // truth = [a,a,b,c], pred = [a,d,b,b]: a: P=1, R=1/2, F1=2/3; b: P=1/2, R=1, F1=2/3; c: 0,0,0; d: 0,0,0.
        // weighted F1 = (2·2/3 + 1·2/3 + 1·0)/4 = 1/2; macro F1 over the 4 labels present = (2/3+2/3)/4 = 1/3.
        var report = ClassificationReport.Compute(["a", "b", "c", "d"], [0, 0, 1, 2], [0, 3, 1, 1]);
        Assert.Equal([1.0, 0.5, 0, 0], report.PerClass.Select(c => c.Precision), new Tolerance());
        Assert.Equal([0.5, 1.0, 0, 0], report.PerClass.Select(c => c.Recall), new Tolerance());
        Assert.Equal(0.5, report.WeightedF1, 12);
        Assert.Equal(1.0 / 3, report.MacroF1, 12);
        Assert.Equal((2 * 1.0 + 0.5 + 0) / 4, report.WeightedPrecision, 12);
    }

    private sealed class Tolerance : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;
        public int GetHashCode(double obj) => 0;
    }
}
