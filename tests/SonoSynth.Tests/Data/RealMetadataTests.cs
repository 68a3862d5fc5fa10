using SonoSynth.Data;

namespace SonoSynth.Tests.Data;

/// <summary>The reader and the splits on the real FETAL_PLANES_DB metadata (Data/Fixtures; its README has the published counts).</summary>
public class RealMetadataTests
{
    private static readonly Lazy<SourceListing> Listing = new(() =>
    {
        var csv = RealMetadata.CsvPath();
        return SourceListing.FromFetalPlanesCsv(csv, Path.Combine(Path.GetDirectoryName(csv)!, "Images"));
    });

    private static DataSplit Split(SplitKind kind, int seed = 0) =>
        DataSplit.Create(kind, Listing.Value.Labels, PlaneClasses.Count, Listing.Value.PatientIds, Listing.Value.OfficialTrain, seed);

    [Fact]
    public void TheFixtureIsThePublishedFileByteForByte()
    {
        var csv = RealMetadata.CsvPath();
        Assert.Equal(909_943, new FileInfo(csv).Length);
        Assert.Equal(RealMetadata.PublishedMd5, RealMetadata.Md5Of(csv));
    }

    [Fact]
    public void CountsMatchThePublishedTotals()
    {
        var listing = Listing.Value;
        Assert.Equal(12_400, listing.Images.Count);
        Assert.Equal(1_792, listing.PatientIds.Distinct().Count());
        // Table order: abdomen, brain, femur, thorax, cervix, other (README and the paper's Table 1).
        var perClass = PlaneClasses.Names.Select((_, c) => listing.Labels.Count(l => l == c)).ToArray();
        Assert.Equal(new[] { 711, 3092, 1040, 1718, 1626, 4213 }, perClass);
    }

    [Fact]
    public void OfficialSplitMatchesTheReadme()
    {
        var split = Split(SplitKind.Official);
        Assert.Equal(new[] { 353, 1620, 516, 1058, 981, 2601 }, split.TrainCountPerClass);
        Assert.Equal(new[] { 358, 1472, 524, 660, 645, 1612 }, split.TestCountPerClass);
        Assert.Equal(7_129, split.TrainIndices.Count);
        Assert.Equal(5_271, split.TestIndices.Count);
    }

    [Fact]
    public void RandomSplitGivesCeilingOfEightyPercentPerClass()
    {
        var split = Split(SplitKind.Random, seed: 3);
        // ceil(0.8·n): the paper's Table 1 except femur (paper 833/207), see DataSplit.StratifiedRandom.
        Assert.Equal(new[] { 569, 2474, 832, 1375, 1301, 3371 }, split.TrainCountPerClass);
        Assert.Equal(new[] { 142, 618, 208, 343, 325, 842 }, split.TestCountPerClass);
        Assert.Equal(9_922, split.TrainIndices.Count);
        Assert.Equal(2_478, split.TestIndices.Count);
        Assert.True(split.PatientsOnBothSides > 0, "a per-image random split must put some patients on both sides");
    }

    [Fact]
    public void RandomSplitIsDeterministicForASeedAndChangesWithIt()
    {
        Assert.Equal(Split(SplitKind.Random, 7).TestIndices, Split(SplitKind.Random, 7).TestIndices);
        Assert.NotEqual(Split(SplitKind.Random, 7).TestIndices, Split(SplitKind.Random, 8).TestIndices);
    }

    [Fact]
    public void PatientSplitKeepsEveryPatientOnOneSide()
    {
        var listing = Listing.Value;
        var split = Split(SplitKind.Patient, seed: 1);
        var trainPatients = split.TrainIndices.Select(i => listing.PatientIds[i]).ToHashSet();
        Assert.DoesNotContain(split.TestIndices, i => trainPatients.Contains(listing.PatientIds[i]));
        Assert.Equal(0, split.PatientsOnBothSides);
        Assert.Equal(12_400, split.TrainIndices.Count + split.TestIndices.Count);
        Assert.InRange(split.TrainIndices.Count, 9_820, 10_020); // 80% of images to within a patient or so
        Assert.Equal(split.TestIndices, Split(SplitKind.Patient, seed: 1).TestIndices);
    }

    [Fact]
    public void OfficialSplitIsPatientDisjoint()
    {
        Assert.Equal(0, Split(SplitKind.Official).PatientsOnBothSides);
    }

    [Theory]
    [InlineData(SplitKind.Official)]
    [InlineData(SplitKind.Random)]
    public void ValidationCarveKeepsPatientsApartUnderEverySplit(SplitKind kind)
    {
        var listing = Listing.Value;
        var split = Split(kind, seed: 2);
        var (train, validation) = SonoSynth.Training.ValidationSplit.Carve(split.TrainIndices, 0.1, seed: 2, listing.PatientIds);
        var trainPatients = train.Select(i => listing.PatientIds[i]).ToHashSet();
        Assert.DoesNotContain(validation, i => trainPatients.Contains(listing.PatientIds[i]));
        Assert.Equal(split.TrainIndices.Order(), train.Concat(validation).Order());
        Assert.InRange(validation.Count, 0.07 * split.TrainIndices.Count, 0.13 * split.TrainIndices.Count); // 10% of patients
    }
}
