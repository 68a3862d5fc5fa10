using SonoSynth.Data;

namespace SonoSynth.Tests.Data;

public class DataSplitTests
{
    // 3 classes of 10, 5 and 1 images; patient p owns images 2p and 2p+1.
    private static readonly int[] Labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 5), 2];
    private static readonly int[] Patients = Enumerable.Range(0, 16).Select(i => i / 2).ToArray();

    [Fact]
    public void RandomSplitPutsCeilingOfTheFractionOfEachClassIntoTraining()
    {
        var split = DataSplit.Create(SplitKind.Random, Labels, 3, Patients, null, seed: 0);
        Assert.Equal(new[] { 8, 4, 1 }, split.TrainCountPerClass); // ceil(8), ceil(4), ceil(0.8)
        Assert.Equal(new[] { 2, 1, 0 }, split.TestCountPerClass);
        Assert.Empty(split.TrainIndices.Intersect(split.TestIndices));
        Assert.Equal(Enumerable.Range(0, 16), split.TrainIndices.Concat(split.TestIndices).Order());
    }

    [Fact]
    public void LeakCountIsPatientsWithImagesOnBothSides()
    {
        var split = DataSplit.Create(SplitKind.Random, Labels, 3, Patients, null, seed: 5);
        var train = split.TrainIndices.Select(i => Patients[i]).ToHashSet();
        var test = split.TestIndices.Select(i => Patients[i]).ToHashSet();
        Assert.Equal(train.Intersect(test).Count(), split.PatientsOnBothSides);
        Assert.Equal(8, split.PatientCount);
    }

    [Fact]
    public void OfficialSplitFollowsTheFlagsAndNeedsThem()
    {
        var flags = Labels.Select((_, i) => i % 3 != 0).ToArray();
        var split = DataSplit.Create(SplitKind.Official, Labels, 3, Patients, flags);
        Assert.Equal(Enumerable.Range(0, 16).Where(i => i % 3 == 0), split.TestIndices);
        var error = Assert.Throws<InputError>(() => DataSplit.Create(SplitKind.Official, Labels, 3, Patients, null));
        Assert.Contains("--split random", error.Message);
    }

    [Fact]
    public void SplitKindsParseAndUnknownNamesListTheChoices()
    {
        Assert.Equal(SplitKind.Patient, SplitKinds.Parse(" Patient "));
        Assert.Contains("random, patient, official", Assert.Throws<InputError>(() => SplitKinds.Parse("kfold")).Message);
    }
}
