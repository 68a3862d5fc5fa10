using SonoSynth.Ensembles;
using SonoSynth.Metrics;

namespace SonoSynth.Tests.Ensembles;

public class MajorityVoteTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    private static PredictionTable Member(params (string Image, int True, float[] P)[] rows) =>
        new(Classes, rows.Select(r => new PredictionRow(r.Image, r.True, Array.IndexOf(r.P, r.P.Max()), r.P)).ToArray());

    // Three members, four images, votes worked by hand:
    // x1: votes a, a, b            → a (2 votes)
    // x2: votes a, b, c (3-way tie) → mean p: a (.5+.3+.3)/3=.367, b (.2+.4+.3)/3=.3, c (.3+.3+.4)/3=.333 → a
    // x3: votes b, c, c            → c
    // x4: votes a, b, c; mean p of a and c both exactly 1.125/3 (binary fractions), b 0.75/3 → still tied → lowest index a
    private static readonly PredictionTable First = Member(
        ("x1", 0, [0.6f, 0.3f, 0.1f]), ("x2", 2, [0.5f, 0.2f, 0.3f]), ("x3", 2, [0.1f, 0.8f, 0.1f]), ("x4", 1, [0.5f, 0.125f, 0.375f]));
    private static readonly PredictionTable Second = Member(
        ("x1", 0, [0.7f, 0.2f, 0.1f]), ("x2", 2, [0.3f, 0.4f, 0.3f]), ("x3", 2, [0.1f, 0.2f, 0.7f]), ("x4", 1, [0.25f, 0.5f, 0.25f]));
    private static readonly PredictionTable Third = Member(
        ("x1", 0, [0.2f, 0.7f, 0.1f]), ("x2", 2, [0.3f, 0.3f, 0.4f]), ("x3", 2, [0.2f, 0.2f, 0.6f]), ("x4", 1, [0.375f, 0.125f, 0.5f]));

    [Fact]
    public void MajorityVoteWithDocumentedTieRule()
    {
        var vote = MajorityVote.Vote([First, Second, Third]);
        Assert.Equal([0, 0, 2, 0], vote.PredictedLabels);
        Assert.Equal(0.5, vote.Accuracy); // x1 and x3 right
        Assert.Equal((0.5f + 0.3f + 0.3f) / 3, vote.Rows[1].Probabilities[0], 6);
    }

    [Fact]
    public void TwoWayTieGoesToHigherMeanProbability()
    {
        // Two members disagree: a (p .55) vs b (p .9) → mean a = (.55+.1)/2, b = (.45+.9)/2 → b.
        var left = Member(("y", 0, [0.55f, 0.45f, 0f]));
        var right = Member(("y", 0, [0.1f, 0.9f, 0f]));
        Assert.Equal(1, MajorityVote.Vote([left, right]).Rows[0].Predicted);
    }

    [Fact]
    public void SoftVoteTakesTheHighestMeanProbability()
    {
        // x1: mean a=.5, b=.4 → a; x3: mean b=.4, c=.467 → c.
        var soft = MajorityVote.SoftVote([First, Second, Third]);
        Assert.Equal(0, soft.Rows[0].Predicted);
        Assert.Equal(2, soft.Rows[2].Predicted);
    }

    [Fact]
    public void FilesOnDifferentImagesOrOrderAreRejectedClearly()
    {
        var reordered = Member(("x2", 2, [0.5f, 0.2f, 0.3f]), ("x1", 0, [0.6f, 0.3f, 0.1f]), ("x3", 2, [1, 0, 0]), ("x4", 1, [1, 0, 0]));
        var error = Assert.Throws<InputError>(() => MajorityVote.Vote([First, reordered], ["r50.csv", "vit.csv"]));
        Assert.Contains("'x1'", error.Message);
        Assert.Contains("vit.csv", error.Message);
        var shorter = Member(("x1", 0, [1, 0, 0]));
        Assert.Contains("4 images", Assert.Throws<InputError>(() => MajorityVote.Vote([First, shorter])).Message);
    }

    [Fact]
    public void SubsetsAreAllKOfNInOrder()
    {
        var threeOfFive = EnsembleCombinations.Subsets(5, 3).ToList();
        Assert.Equal(10, threeOfFive.Count); // C(5,3)
        Assert.Equal([0, 1, 2], threeOfFive[0]);
        Assert.Equal([2, 3, 4], threeOfFive[^1]);
        Assert.Equal(10, threeOfFive.Select(s => string.Join(",", s)).Distinct().Count());
    }

    [Fact]
    public void Table11SweepVotesEveryThreeOfFiveAndAllFive()
    {
        var members = new[] { First, Second, Third, Second, First };
        var outcomes = EnsembleCombinations.Sweep(members, ["m1", "m2", "m3", "m4", "m5"], [3, 5]);
        Assert.Equal(11, outcomes.Count);
        Assert.Equal("m1 + m2 + m3", outcomes[0].Label);
        Assert.Equal(5, outcomes[^1].MemberNames.Count);
        // All five: x1 votes a,a,b,a,a → a; x3 votes b,c,c,c,b → c.
        Assert.Equal(0, outcomes[^1].Predictions.Rows[0].Predicted);
        Assert.Equal(2, outcomes[^1].Predictions.Rows[2].Predicted);
    }
}
