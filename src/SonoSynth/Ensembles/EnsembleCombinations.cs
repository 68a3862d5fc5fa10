using SonoSynth.Metrics;

namespace SonoSynth.Ensembles;

/// <summary>One ensemble of a sweep: which members (indices and names) and its predictions.</summary>
public sealed record EnsembleOutcome(IReadOnlyList<int> MemberIndices, IReadOnlyList<string> MemberNames, PredictionTable Predictions)
{
    public double Accuracy => Predictions.Accuracy;
    public string Label => string.Join(" + ", MemberNames);
}

/// <summary>
/// Every k-of-n subset, as in the paper's Table 11 (all ten 3-of-5 ensembles, then all five together).
/// </summary>
public static class EnsembleCombinations
{
    /// <summary>All k-element subsets of 0..n-1 in lexicographic order.</summary>
    public static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k < 1 || k > n) yield break;
        var current = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return (int[])current.Clone();
            int i = k - 1;
            while (i >= 0 && current[i] == n - k + i) i--;
            if (i < 0) yield break;
            current[i]++;
            for (int j = i + 1; j < k; j++) current[j] = current[j - 1] + 1;
        }
    }

    /// <summary>
    /// Votes every subset of each requested size (e.g. [3, 5] for Table 11), hard or soft, sorted as generated:
    /// by size, then lexicographically.
    /// </summary>
    public static IReadOnlyList<EnsembleOutcome> Sweep(IReadOnlyList<PredictionTable> members, IReadOnlyList<string> names,
        IEnumerable<int> sizes, bool soft = false)
    {
        if (names.Count != members.Count) throw new ArgumentException("One name per member is needed.");
        var outcomes = new List<EnsembleOutcome>();
        foreach (int size in sizes.Distinct().Order())
        {
            if (size < 1 || size > members.Count)
                throw new InputError($"Cannot form ensembles of {size} from {members.Count} prediction files; choose a size between 1 and {members.Count}.");
            foreach (var subset in Subsets(members.Count, size))
            {
                var chosen = subset.Select(i => members[i]).ToList();
                var chosenNames = subset.Select(i => names[i]).ToList();
                var predictions = soft ? MajorityVote.SoftVote(chosen, chosenNames) : MajorityVote.Vote(chosen, chosenNames);
                outcomes.Add(new EnsembleOutcome(subset, chosenNames, predictions));
            }
        }
        return outcomes;
    }
}
