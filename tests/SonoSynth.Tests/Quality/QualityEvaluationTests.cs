using SonoSynth.Quality;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class QualityEvaluationTests
{
    private static void WriteClassFolders(TempFolder folder, string set, Generator generator, double brainContrast)
    {
        for (int i = 0; i < 6; i++)
        {
            folder.WritePng($"{set}/fetal_brain/{i}.png", TestImages.SmoothImage(generator, 16) * brainContrast);
            folder.WritePng($"{set}/Fetal femur/{i}.png", TestImages.SmoothImage(generator, 16));
        }
    }

    [Fact]
    public void IdenticalFoldersScoreZeroDistanceAndPerfectPrecisionRecallButAreNotCalledFid()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(41);
        WriteClassFolders(folder, "real", generator, 1);
        using var a = QualityInput.Open(folder.PathOf("real"), 128);
        using var b = QualityInput.Open(folder.PathOf("real"), 128);
        using var extractor = new PooledPixelsExtractor();

        var report = QualityEvaluation.Run(a, b, extractor, QualityOptions.Default with { PerClass = true, KidSubsets = 5 });

        Assert.Equal("frechet_distance", report.Metric);
        Assert.Equal("test-pooled-pixels-4x4", report.Extractor);
        Assert.Contains("NOT FID", report.MetricLabel);
        Assert.Contains("4x4 pooled pixels (test)", report.MetricLabel);
        Assert.Equal(0, report.Overall.FrechetDistance, 1e-6);
        Assert.Equal(1.0, report.Overall.PrecisionRecall!.Precision);
        Assert.Equal(1.0, report.Overall.PrecisionRecall.Recall);
        Assert.Equal(12, report.Overall.KidResultSubsetSize());
        // Sub-folder names "fetal_brain" and "Fetal femur" both become class slugs, in Table 1 order.
        Assert.Equal(new[] { "fetal_brain", "fetal_femur" }, report.PerClass.Select(c => c.Class).ToArray());
        Assert.All(report.PerClass, c => Assert.Equal(6, c.SyntheticCount));
    }

    [Fact]
    public void PerClassDistanceSeesTheShiftedClassOnly()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(42);
        WriteClassFolders(folder, "real", generator, 1);
        WriteClassFolders(folder, "synthetic", generator, 0.2);
        using var a = QualityInput.Open(folder.PathOf("synthetic"), 128);
        using var b = QualityInput.Open(folder.PathOf("real"), 128);
        using var extractor = new PooledPixelsExtractor();

        var report = QualityEvaluation.Run(a, b, extractor, QualityOptions.Default with { PerClass = true, KidSubsets = 5 });

        var brain = report.PerClass.Single(c => c.Class == "fetal_brain");
        var femur = report.PerClass.Single(c => c.Class == "fetal_femur");
        Assert.True(brain.FrechetDistance > 3 * femur.FrechetDistance, $"brain {brain.FrechetDistance}, femur {femur.FrechetDistance}");
    }

    [Fact]
    public void StatisticsFromTheFidExtractorOnBothSidesAreCalledFid()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(43);
        using var x = randn([30, 4], dtype: ScalarType.Float64, generator: generator);
        using var y = randn([30, 4], dtype: ScalarType.Float64, generator: generator) + 1.0;
        using var sx = FeatureStatistics.FromFeatures(x);
        using var sy = FeatureStatistics.FromFeatures(y);
        StatisticsFile.Write(folder.PathOf("a.npz"), sx, FidInceptionWeights.ExtractorId);
        StatisticsFile.Write(folder.PathOf("b.npz"), sy, FidInceptionWeights.ExtractorId);
        StatisticsFile.Write(folder.PathOf("other.npz"), sy, "inception-v3-random-he-seed0");
        using var a = QualityInput.Open(folder.PathOf("a.npz"), 128);
        using var b = QualityInput.Open(folder.PathOf("b.npz"), 128);
        using var other = QualityInput.Open(folder.PathOf("other.npz"), 128);

        var report = QualityEvaluation.Run(a, b, null, QualityOptions.Default);
        Assert.Equal("fid", report.Metric);
        Assert.Equal("FID", report.MetricLabel);
        Assert.Equal(FrechetDistance.Compute(sx, sy), report.Overall.FrechetDistance, 1e-12);
        Assert.Null(report.Overall.Kid); // statistics only: no KID, and a note says why
        Assert.Contains(report.Notes, n => n.Contains("KID"));

        var error = Assert.Throws<InputError>(() => QualityEvaluation.Run(a, other, null, QualityOptions.Default));
        Assert.Contains("inception-v3-random-he-seed0", error.Message);
    }
}

internal static class QualityScoresTestExtensions
{
    public static int KidResultSubsetSize(this QualityScores scores) => scores.Kid!.SubsetSize;
}

public class MixedInputTests
{
    [Fact]
    public void FeatureMatrixAgainstItsOwnStatisticsGivesZero()
    {
        using var folder = new TempFolder();
        using var generator = new Generator(44);
        using var features = randn([25, 3], dtype: ScalarType.Float64, generator: generator);
        SonoSynth.IO.AtomicFile.Write(folder.PathOf("f.npy"), s => SonoSynth.Interop.NpyFile.WriteTensor(s, features));
        using var stats = FeatureStatistics.FromFeatures(features);
        StatisticsFile.Write(folder.PathOf("s.npz"), stats, "some-extractor");
        using var a = QualityInput.Open(folder.PathOf("f.npy"), 128);
        using var b = QualityInput.Open(folder.PathOf("s.npz"), 128);

        var report = QualityEvaluation.Run(a, b, null, QualityOptions.Default);

        Assert.Equal(0, report.Overall.FrechetDistance, 1e-9);
        Assert.Equal("frechet_distance", report.Metric);
        Assert.Contains(report.Notes, n => n.Contains("does not record its feature extractor"));
    }
}
