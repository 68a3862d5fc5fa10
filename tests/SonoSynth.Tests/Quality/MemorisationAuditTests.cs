using SonoSynth.Quality.Inputs;
using SonoSynth.Quality.Memorisation;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class MemorisationAuditTests
{
    [Fact]
    public void PlantedCopyOfATrainingImageIsFlaggedAndNoiseIsNot()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(51);
        for (int i = 0; i < 20; i++) folder.WritePng($"train/{i:D2}.png", TestImages.SmoothImage(generator));
        for (int i = 0; i < 10; i++) folder.WritePng($"heldout/{i:D2}.png", TestImages.SmoothImage(generator));
        for (int i = 0; i < 4; i++) folder.WritePng($"synthetic/noise{i}.png", rand([32, 32], generator: generator));
        File.Copy(folder.PathOf("train/07.png"), folder.PathOf("synthetic/copy.png"));

        var synthetic = ImageFileSource.FromFolder(folder.PathOf("synthetic"));
        var train = ImageFileSource.FromFolder(folder.PathOf("train"));
        var heldOut = ImageFileSource.FromFolder(folder.PathOf("heldout"));
        var report = MemorisationAudit.Run(synthetic, train, heldOut, extractor: null, MemorisationOptions.Default);

        var copy = report.Matches.Single(m => m.SyntheticId == "copy.png");
        Assert.True(copy.LikelyCopy);
        Assert.Equal("07.png", copy.PixelTrainId);
        Assert.Equal(0, copy.PixelDistance, 1e-6);
        Assert.Equal(0, copy.PixelRealShare);
        Assert.All(report.Matches.Where(m => m.SyntheticId.StartsWith("noise")), m => Assert.False(m.LikelyCopy));
        Assert.Equal(1, report.LikelyCopyCount);
        Assert.Equal(10, report.RealReferenceCount);
        Assert.True(report.Pixel.CopyThreshold > 0);

        var outputs = folder.PathOf("audit");
        MemorisationOutputs.Write(report, synthetic, train, outputs);
        var rows = File.ReadAllLines(Path.Combine(outputs, MemorisationOutputs.ListFile));
        Assert.Equal(6, rows.Length); // header + 5 synthetic images
        Assert.StartsWith("copy.png,,07.png,0,", rows[1]); // closest first
        Assert.EndsWith(",true", rows[1]);
        Assert.True(File.Exists(Path.Combine(outputs, "pixel_distances.png")));
        Assert.True(new FileInfo(Path.Combine(outputs, MemorisationOutputs.PairsFile)).Length > 0);
    }

    [Fact]
    public void WithoutHeldOutSetASeededShareOfTrainingImagesIsTheReference()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(52);
        for (int i = 0; i < 30; i++) folder.WritePng($"train/{i:D2}.png", TestImages.SmoothImage(generator));
        folder.WritePng("synthetic/noise.png", rand([32, 32], generator: generator));
        File.Copy(folder.PathOf("train/03.png"), folder.PathOf("synthetic/copy.png"));

        var synthetic = ImageFileSource.FromFolder(folder.PathOf("synthetic"));
        var train = ImageFileSource.FromFolder(folder.PathOf("train"));
        var report = MemorisationAudit.Run(synthetic, train, null, null, MemorisationOptions.Default);

        Assert.Equal(15, report.RealReferenceCount); // 10% of 30 is 3; the floor is min(20, 30 / 2)
        Assert.True(report.Matches.Single(m => m.SyntheticId == "copy.png").LikelyCopy);
        Assert.False(report.Matches.Single(m => m.SyntheticId == "noise.png").LikelyCopy);
    }

    [Fact]
    public void PercentileMatchesNumpyLinearInterpolation()
    {
        // np.percentile([1, 2, 3, 4, 10], [0, 1, 50, 90]) = [1, 1.04, 3, 7.6].
        var distribution = new DistanceDistribution([4, 1, 10, 3, 2]);
        Assert.Equal(1, distribution.Percentile(0), 12);
        Assert.Equal(1.04, distribution.Percentile(1), 12);
        Assert.Equal(3, distribution.Percentile(50), 12);
        Assert.Equal(7.6, distribution.Percentile(90), 12);
        Assert.Equal(0.6, distribution.ShareAtOrBelow(3));
    }
}
