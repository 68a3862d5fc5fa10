using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Data.Phantom;
using SonoSynth.Imaging;
using SonoSynth.Quality.Inputs;
using SonoSynth.Interop;
using SonoSynth.Tests.Data;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Cli;

/// <summary>
/// `sonosynth fid` (KID's subset size), `fid stats`, `dataset:` inputs, `audit memorisation` and `data preview`: what
/// each writes, checked against closed forms (mean, covariance) and the images it was given.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class QualityAndDataVerbTests
{
    private static string WriteFeatures(TempFolder folder, string name, int rows, double shift, ulong seed)
    {
        var path = folder.PathOf(name);
        using var features = randn([rows, 8], dtype: ScalarType.Float64, generator: new Generator(seed)) + shift;
        using var stream = File.Create(path);
        NpyFile.WriteTensor(stream, features);
        return path;
    }

    [Fact]
    public void KidSaysSoWhenItsSubsetSizeIsCutToTheSetSize()
    {
        using var folder = new TempFolder();
        var a = WriteFeatures(folder, "a.npy", 300, 0, 1);
        var b = WriteFeatures(folder, "b.npy", 300, 0.5, 2);

        var clamped = InProcessCli.Run("fid", a, b, "--json", "--no-precision-recall", "--kid-subsets", "5");
        Assert.True(clamped.ExitCode == 0, clamped.All);
        using (var json = JsonDocument.Parse(clamped.Output))
        {
            var kid = json.RootElement.GetProperty("overall").GetProperty("kid");
            Assert.Equal(300, kid.GetProperty("subset_size").GetInt32());
            Assert.InRange(kid.GetProperty("standard_deviation").GetDouble(), 0, 1e-12); // every subset is both whole sets: 0 up to rounding
            var note = Assert.Single(json.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!), n => n.Contains("KID"));
            Assert.Contains("subset size 1000", note);
            Assert.Contains("standard deviation is 0", note);
            Assert.Contains("--kid-subset-size", note);
        }
        Assert.Contains("standard deviation is 0", InProcessCli.Run("fid", a, b, "--no-precision-recall", "--kid-subsets", "5").Unwrapped);

        var fitted = InProcessCli.Run("fid", a, b, "--json", "--no-precision-recall", "--kid-subsets", "5", "--kid-subset-size", "100");
        using var fittedJson = JsonDocument.Parse(fitted.Output);
        Assert.True(fittedJson.RootElement.GetProperty("overall").GetProperty("kid").GetProperty("standard_deviation").GetDouble() > 0);
        Assert.DoesNotContain(fittedJson.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("KID"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void FidStatsOfADatasetWritesTheMeanAndCovarianceOfItsFeatures()
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("phantom");
        PhantomGenerator.Write(data, new PhantomOptions(PerClass: 2, ImageSize: 32, ImagesPerPatient: 1, Seed: 8));
        string[] Common = ["--extractor", "random-inception", "--image-size", "32", "--batch-size", "12", "--threads", "2"];

        // dataset: reads the FETAL_PLANES_DB layout (CSV + Images/) with its six planes.
        var stats = folder.PathOf("all.npz");
        var features = folder.PathOf("all.npy");
        var result = InProcessCli.Run(["fid", "stats", "dataset:" + data, "--out", stats, "--features-out", features, .. Common]);
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("NOT FID", result.Errors); // a random Inception is labelled as such

        using var written = StatisticsInput.Read(stats);
        using var matrix = FeaturesInput.Read(features);
        Assert.Equal([12, 2048], matrix.Features.shape);
        Assert.StartsWith("inception-v3-random", written.ExtractorId);
        // Closed forms: mu = column means, sigma = covariance with n − 1 (numpy.cov, as pytorch-fid).
        using var centred = matrix.Features - matrix.Features.mean([0], keepdim: true);
        using var covariance = centred.t().matmul(centred) / 11.0;
        Assert.True(allclose(written.Statistics.Mean, matrix.Features.mean([0]), rtol: 1e-9, atol: 1e-12), "mu is not the mean of the features");
        Assert.True(allclose(written.Statistics.Covariance, covariance, rtol: 1e-6, atol: 1e-9), "sigma is not the covariance of the features");

        // One class of the data set: its 2 images.
        var brain = folder.PathOf("brain.npy");
        Assert.Equal(0, InProcessCli.Run(["fid", "stats", "dataset:" + data, "--class", "Fetal brain", "--out", folder.PathOf("brain.npz"),
            "--features-out", brain, .. Common]).ExitCode);
        using (var brainFeatures = FeaturesInput.Read(brain)) Assert.Equal(2, brainFeatures.Features.shape[0]);
        // Without the prefix the same folder is a plain image folder, whose only sub-folder (Images/) is the class.
        var plain = InProcessCli.Run(["fid", "stats", data, "--class", "Fetal brain", "--out", folder.PathOf("x.npz"), .. Common]);
        Assert.Equal(2, plain.ExitCode);

        // The written statistics compare to themselves at distance 0.
        var same = InProcessCli.Run("fid", stats, stats, "--json");
        using var sameJson = JsonDocument.Parse(same.Output);
        Assert.Equal(0, sameJson.RootElement.GetProperty("overall").GetProperty("frechet_distance").GetDouble(), 6);
        Assert.Equal("frechet_distance", sameJson.RootElement.GetProperty("metric").GetString());
    }

    [Fact]
    public void MemorisationAuditFlagsTheCopiedTrainingImageOfADataset()
    {
        using var folder = new TempFolder();
        var train = folder.PathOf("train");
        PhantomGenerator.Write(train, new PhantomOptions(PerClass: 3, ImageSize: 32, ImagesPerPatient: 1, Seed: 9));
        var heldOut = folder.PathOf("held-out");
        PhantomGenerator.Write(heldOut, new PhantomOptions(PerClass: 2, ImageSize: 32, ImagesPerPatient: 1, Seed: 10));
        var synthetic = folder.PathOf("synthetic");
        Directory.CreateDirectory(Path.Combine(synthetic, "fetal_brain"));
        var copied = Directory.EnumerateFiles(Path.Combine(train, "Images"), "*.png").Order(StringComparer.Ordinal).ElementAt(4);
        File.Copy(copied, Path.Combine(synthetic, "fetal_brain", "copy.png"));
        using var generator = new Generator(12);
        for (int i = 0; i < 3; i++)
        {
            using var noise = randint(0, 256, [32 * 32], dtype: ScalarType.Byte, generator: generator);
            GrayPng.Save(Path.Combine(synthetic, "fetal_brain", $"noise{i}.png"), noise.data<byte>().ToArray(), 32, 32);
        }

        var output = folder.PathOf("audit");
        var result = InProcessCli.Run("audit", "memorisation", "--synthetic", synthetic, "--train", "dataset:" + train,
            "--held-out", "dataset:" + heldOut, "--extractor", "none", "--image-size", "32", "--out", output, "--json");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(4, json.RootElement.GetProperty("synthetic_count").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("likely_copies").GetInt32());

        var rows = File.ReadAllLines(Path.Combine(output, "nearest_training_images.csv"));
        Assert.Equal(5, rows.Length);
        var closest = rows[1].Split(',');
        Assert.Equal("copy.png", Path.GetFileName(closest[0]));
        Assert.Contains(Path.GetFileNameWithoutExtension(copied), rows[1]); // its nearest training image is the original
        Assert.Equal("true", closest[^1]);
        Assert.All(rows.Skip(2), row => Assert.EndsWith(",false", row));
        Assert.True(File.Exists(Path.Combine(output, "summary.json")));
    }

    [Fact]
    public void DataPreviewShowsTheFirstPreparedImagesOfEachClassInRows()
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("phantom");
        PhantomGenerator.Write(data, new PhantomOptions(PerClass: 3, ImageSize: 32, ImagesPerPatient: 1, Seed: 11));
        var grid = folder.PathOf("preview.png");
        var result = InProcessCli.Run("data", "preview", "--data", data, "--size", "16", "--per-class", "2", "--out", grid);
        Assert.True(result.ExitCode == 0, result.All);

        var (pixels, width, height) = ImageDecoder.DecodeGray(grid, DecodePolicy.NativeGray);
        const int tile = 16, border = 2;
        Assert.Equal(2 * (tile + border) + border, width);
        Assert.Equal(6 * (tile + border) + border, height);
        using var dataset = DataSources.Open(data, tile);
        var prepared = dataset.Images.Pixels.contiguous().data<byte>().ToArray();
        for (int c = 0; c < PlaneClasses.Count; c++)
        {
            var rows = Enumerable.Range(0, dataset.Images.Count).Where(i => dataset.Images.Labels[i] == c).Take(2).ToList();
            for (int column = 0; column < 2; column++)
                for (int y = 0; y < tile; y++)
                    for (int x = 0; x < tile; x++)
                        Assert.Equal(prepared[(rows[column] * tile + y) * tile + x],
                            pixels[(border + c * (tile + border) + y) * width + border + column * (tile + border) + x]);
        }
        Assert.Contains(string.Join(", ", PlaneClasses.Names), result.Unwrapped);
    }
}
