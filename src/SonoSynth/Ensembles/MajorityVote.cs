using SonoSynth.Metrics;

namespace SonoSynth.Ensembles;

/// <summary>
/// Combines prediction files of several models on the same test images (checked: same images, same order,
/// same true labels). The output's p_ columns hold the members' mean probabilities.
/// </summary>
public static class MajorityVote
{
    /// <summary>
    /// Hard majority vote (the paper's Section 5.2.4): each member votes for its predicted class; most votes wins.
    /// Tie rule: among the classes with the most votes, the one with the highest mean probability over all members;
    /// if that is tied too, the lowest class index.
    /// </summary>
    public static PredictionTable Vote(IReadOnlyList<PredictionTable> members, IReadOnlyList<string>? names = null)
    {
        CheckMembers(members, names);
        int k = members[0].ClassNames.Count;
        var rows = new PredictionRow[members[0].Count];
        var votes = new int[k];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Clear(votes);
            foreach (var member in members) votes[member.Rows[i].Predicted]++;
            var mean = MeanProbabilities(members, i, k);
            int winner = 0;
            for (int c = 1; c < k; c++)
                if (votes[c] > votes[winner] || (votes[c] == votes[winner] && mean[c] > mean[winner])) winner = c;
            rows[i] = new PredictionRow(members[0].Rows[i].Image, members[0].Rows[i].True, winner, mean);
        }
        return new PredictionTable(members[0].ClassNames, rows);
    }

    /// <summary>Soft vote: the class with the highest mean probability (lowest index on exact ties).</summary>
    public static PredictionTable SoftVote(IReadOnlyList<PredictionTable> members, IReadOnlyList<string>? names = null)
    {
        CheckMembers(members, names);
        int k = members[0].ClassNames.Count;
        var rows = new PredictionRow[members[0].Count];
        for (int i = 0; i < rows.Length; i++)
        {
            var mean = MeanProbabilities(members, i, k);
            int winner = 0;
            for (int c = 1; c < k; c++) if (mean[c] > mean[winner]) winner = c;
            rows[i] = new PredictionRow(members[0].Rows[i].Image, members[0].Rows[i].True, winner, mean);
        }
        return new PredictionTable(members[0].ClassNames, rows);
    }

    private static float[] MeanProbabilities(IReadOnlyList<PredictionTable> members, int row, int k)
    {
        var sum = new double[k];
        foreach (var member in members)
            for (int c = 0; c < k; c++) sum[c] += member.Rows[row].Probabilities[c];
        return sum.Select(s => (float)(s / members.Count)).ToArray();
    }

    private static void CheckMembers(IReadOnlyList<PredictionTable> members, IReadOnlyList<string>? names)
    {
        if (members.Count == 0) throw new InputError("An ensemble needs at least one prediction file.");
        for (int m = 1; m < members.Count; m++)
            members[0].EnsureSameImages(members[m], names?[0] ?? "member 1", names?[m] ?? $"member {m + 1}");
    }
}
