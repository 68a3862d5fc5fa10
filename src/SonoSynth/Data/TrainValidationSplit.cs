using TorchSharp;

namespace SonoSynth.Data;

/// <summary>
/// Carves a validation set out of training rows, stratified per class and seeded, so a model can be selected
/// without looking at the test set (the paper picks its best epoch on test accuracy, which is optimistic).
/// </summary>
public static class TrainValidationSplit
{
    /// <summary>
    /// Per class, round(f·n) of its training rows go to validation (at least one when the class has two or more,
    /// never all of them). Returns both lists ascending.
    /// </summary>
    public static (int[] Train, int[] Validation) Carve(IReadOnlyList<int> trainRows, IReadOnlyList<int> labels,
        double validationFraction, int seed)
    {
        if (validationFraction <= 0 || validationFraction >= 1)
            throw new InputError($"Validation fraction {validationFraction} must lie strictly between 0 and 1 (e.g. 0.1).");
        var validation = new HashSet<int>();
        using var generator = new torch.Generator((ulong)seed);
        foreach (var group in trainRows.GroupBy(r => labels[r]).OrderBy(g => g.Key))
        {
            var rows = group.OrderBy(r => r).ToArray();
            if (rows.Length < 2) continue;
            int count = Math.Clamp((int)Math.Round(rows.Length * validationFraction, MidpointRounding.AwayFromZero), 1, rows.Length - 1);
            foreach (var position in DataSplit.Permutation(rows.Length, generator).Take(count))
                validation.Add(rows[position]);
        }
        return (trainRows.Where(r => !validation.Contains(r)).OrderBy(r => r).ToArray(), validation.OrderBy(r => r).ToArray());
    }
}
