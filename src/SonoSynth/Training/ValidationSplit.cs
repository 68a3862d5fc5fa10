namespace SonoSynth.Training;

/// <summary>
/// Carves a validation split out of the training rows (never the test rows), so the epoch can be chosen without
/// looking at the test set. With patient ids, whole patients go to one side under every split (random and official too),
/// so the chosen epoch is not the one that best recognises training patients; callers pass them whenever the data has them.
/// </summary>
public static class ValidationSplit
{
    public static (IReadOnlyList<int> Train, IReadOnlyList<int> Validation) Carve(IReadOnlyList<int> trainRows, double fraction, long seed,
        IReadOnlyList<int>? patientIds = null)
    {
        if (fraction <= 0) return (trainRows, Array.Empty<int>());
        if (fraction >= 1) throw new ArgumentException($"--val-fraction must be below 1 (got {fraction}).");
        var groups = trainRows.Select(r => patientIds?[r] ?? r).Distinct().Order().ToArray();
        using var generator = new TorchSharp.torch.Generator((ulong)seed ^ 0xA5A5A5A5UL);
        using var permutation = TorchSharp.torch.randperm(groups.Length, generator: generator);
        int take = (int)Math.Round(groups.Length * fraction);
        var validationGroups = permutation.data<long>().ToArray().Take(take).Select(i => groups[i]).ToHashSet();
        var train = trainRows.Where(r => !validationGroups.Contains(patientIds?[r] ?? r)).ToArray();
        var validation = trainRows.Where(r => validationGroups.Contains(patientIds?[r] ?? r)).ToArray();
        return (train, validation);
    }
}
