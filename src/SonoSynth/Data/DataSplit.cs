// TEMPORARY: replaced at merge by the data branch
namespace SonoSynth.Data;

public enum SplitKind { Random, Patient, Official }

/// <summary>Train/test rows of a prepared data set.</summary>
public sealed record DataSplit(IReadOnlyList<int> TrainRows, IReadOnlyList<int> TestRows)
{
    public static DataSplit Make(SplitKind kind, PreparedDataset data, double testFraction = 0.2, long seed = 0)
    {
        int n = data.Images.Count;
        if (kind == SplitKind.Official)
            return new DataSplit(Enumerable.Range(0, n).Where(i => data.OfficialTrain[i]).ToArray(),
                Enumerable.Range(0, n).Where(i => !data.OfficialTrain[i]).ToArray());
        var groups = kind == SplitKind.Patient ? data.PatientIds.ToArray() : Enumerable.Range(0, n).ToArray();
        var distinct = groups.Distinct().Order().ToArray();
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        using var permutation = TorchSharp.torch.randperm(distinct.Length, generator: generator);
        var order = permutation.data<long>().ToArray();
        var testGroups = order.Take((int)Math.Round(distinct.Length * testFraction)).Select(i => distinct[i]).ToHashSet();
        return new DataSplit(Enumerable.Range(0, n).Where(i => !testGroups.Contains(groups[i])).ToArray(),
            Enumerable.Range(0, n).Where(i => testGroups.Contains(groups[i])).ToArray());
    }
}
