using System.Globalization;
using SonoSynth.Curation;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Curation;

public class CurationClassifierTests
{
    private static (Tensor Pixels, bool[] IsGood) BlobsAndNoise(int perClass, int size, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>();
        var isGood = new List<bool>();
        for (int i = 0; i < perClass; i++)
        {
            bytes.AddRange(SyntheticFolder.SmoothBlob(size, random)); isGood.Add(true);
            bytes.AddRange(SyntheticFolder.Noise(size, random)); isGood.Add(false);
        }
        return (torch.tensor(bytes.ToArray(), dtype: ScalarType.Byte).reshape(isGood.Count, 1, size, size), isGood.ToArray());
    }

    [Fact]
    public void LearnsSmoothBlobsAsGoodAndNoiseAsBadFarAboveChance()
    {
        var (pixels, isGood) = BlobsAndNoise(perClass: 40, size: 32, seed: 7);
        using var _ = pixels;
        var (model, report) = CurationTrainer.Train(pixels, isGood, CurationTrainingOptions.CpuSmoke);
        using (model)
        {
            Assert.Equal(16, report.HeldOutCount); // 20% of 40 per class
            Assert.Equal(64, report.TrainCount);
            Assert.True(report.HeldOutAccuracy >= 0.9, $"held-out accuracy {report.HeldOutAccuracy:P0}, chance is 50%; last loss {report.FinalTrainLoss}");
            // Fresh images, never seen: blobs score above noise.
            var (fresh, freshGood) = BlobsAndNoise(perClass: 10, size: 32, seed: 99);
            using var __ = fresh;
            var scores = model.Score(fresh);
            int correct = scores.Where((s, i) => (s >= 0.5) == freshGood[i]).Count();
            Assert.True(correct >= 18, $"{correct}/20 fresh images right");
        }
    }

    [Fact]
    public void ImbalancedLabelsStillGiveBalancedAccuracyAboveChance()
    {
        // 40 good, 8 bad: an always-"good" classifier would score 83% accuracy but 50% balanced accuracy.
        var (all, allGood) = BlobsAndNoise(perClass: 40, size: 32, seed: 3);
        using var _ = all;
        var rows = Enumerable.Range(0, allGood.Length).Where(r => allGood[r] || r < 16).ToArray();
        using var index = torch.tensor(rows.Select(r => (long)r).ToArray());
        using var pixels = all.index_select(0, index);
        var isGood = rows.Select(r => allGood[r]).ToArray();
        Assert.Equal(8, isGood.Count(g => !g));
        var (model, report) = CurationTrainer.Train(pixels, isGood, CurationTrainingOptions.CpuSmoke);
        using (model)
            Assert.True(report.HeldOutBalancedAccuracy >= 0.75, $"balanced accuracy {report.HeldOutBalancedAccuracy:P0}");
    }

    [Fact]
    public void TrainOnCuratorLabelsThenFilterWritesGoodAndBadManifests()
    {
        using var images = new SyntheticFolder(imagesPerKind: 24);
        var set = SyntheticImageSet.Load(images.Root);
        using (var store = LabelStore.Open(images.Labels, "erin"))
            foreach (var image in set.Images.Take(40)) // the last 8 images stay unlabelled
                store.Label(image.Id, image.ClassName == "Fetal brain" ? CurationVerdict.Good : CurationVerdict.Bad);
        var labels = LabelStore.ReadOnly(images.Labels);
        var (trained, report) = CurationTrainer.Train(set, labels, CurationTrainingOptions.CpuSmoke);
        Assert.Equal((20, 20), (report.GoodCount, report.BadCount));
        var modelFolder = Path.Combine(images.Root, "model");
        trained.Save(modelFolder);

        using var loaded = CurationModel.Load(modelFolder);
        Assert.Equal(32, loaded.Info.ImageSize);
        Assert.Equal(0.5, loaded.Info.Threshold);
        var outFolder = Path.Combine(images.Root, "split");
        var result = CurationFilter.Run(set, loaded, 0.5, outFolder);
        using (var pixels = CurationTrainer.LoadPixels(set.Images, 32))
            Assert.Equal(trained.Score(pixels), result.Scores); // the saved model is the trained one
        trained.Dispose();

        var good = File.ReadAllLines(Path.Combine(outFolder, CurationFilter.GoodManifestName));
        var bad = File.ReadAllLines(Path.Combine(outFolder, CurationFilter.BadManifestName));
        Assert.Equal("path,label,round,seed,sampler,steps,guidance,score", good[0]);
        Assert.Equal(good[0], bad[0]);
        Assert.Equal(48, good.Length - 1 + bad.Length - 1);
        Assert.Equal((result.GoodCount, result.BadCount), (good.Length - 1, bad.Length - 1));
        foreach (var (lines, expectGood) in new[] { (good, true), (bad, false) })
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(',');
                // Paths are relative to the manifest's own folder, like the generator's manifest.
                Assert.True(File.Exists(Path.Combine(outFolder, fields[0])), fields[0]);
                Assert.Equal(("1", "ddim", "50", "2.0"), (fields[2], fields[4], fields[5], fields[6]));
                var score = double.Parse(fields[7], CultureInfo.InvariantCulture);
                Assert.Equal(expectGood, score >= 0.5);
            }
        // The classifier separates the curator's two kinds: nearly all blobs good, nearly all noise bad.
        int blobsInGood = good.Skip(1).Count(l => l.Contains(",Fetal brain,"));
        int noiseInBad = bad.Skip(1).Count(l => l.Contains(",Fetal femur,"));
        Assert.True(blobsInGood >= 22 && noiseInBad >= 22, $"good has {blobsInGood}/24 blobs, bad has {noiseInBad}/24 noise");
    }

    [Fact]
    public void TheSameSeedTrainsTheSameModel()
    {
        var (pixels, isGood) = BlobsAndNoise(perClass: 12, size: 32, seed: 5);
        using var _ = pixels;
        var options = CurationTrainingOptions.CpuSmoke with { Epochs = 2 };
        var (first, _) = CurationTrainer.Train(pixels, isGood, options);
        var (second, _) = CurationTrainer.Train(pixels, isGood, options);
        using (first)
        using (second)
            Assert.Equal(first.Score(pixels), second.Score(pixels));
    }
}
