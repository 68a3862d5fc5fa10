using SonoSynth.Data;
using SonoSynth.Data.Phantom;
using SonoSynth.Imaging;

namespace SonoSynth.Tests.Data;

public class PreparedDatasetTests
{
    private static readonly PhantomOptions Options = PhantomOptions.Tiny; // 24 images of 64 px, 8 patients

    [Fact]
    public void OpensFetalPlanesFolderIntoACacheAndReusesIt()
    {
        using var folder = new TempFolder();
        var records = PhantomGenerator.Write(folder.Path, Options);
        var progress = new List<SonoSynth.Runtime.ProgressUpdate>();
        using (var dataset = DataSources.Open(folder.Path, imageSize: 32, progress: new Progress(progress)))
        {
            Assert.True(dataset.WasRebuilt);
            Assert.Equal(Path.Combine(folder.Path, ".sonosynth-cache", "32"), dataset.CacheFolder);
            Assert.Equal(24, dataset.Images.Count);
            Assert.Equal(new long[] { 24, 1, 32, 32 }, dataset.Images.Pixels.shape);
            Assert.Equal(records.Select(r => r.ImageName), dataset.Images.Ids);
            Assert.Equal(records.Select(r => (long)r.Label), dataset.Images.Labels);
            Assert.Equal(records.Select(r => r.PatientNumber), dataset.PatientIds);
            Assert.Equal(records.Select(r => r.OfficialTrain), dataset.OfficialTrain);
            Assert.Equal(PlaneClasses.Names, dataset.ClassNames);
            // Row 5 of the tensor is exactly the decoded, resized file.
            var direct = ImageDecoder.DecodeGray(folder.PathOf("Images", records[5].ImageName + ".png"), DecodePolicy.Training(32)).Pixels;
            Assert.Equal(direct, dataset.Images.Pixels[5].flatten().data<byte>().ToArray());
            Assert.Equal(24, progress.Last().Done);
        }
        using (var again = DataSources.Open(folder.Path, imageSize: 32))
            Assert.False(again.WasRebuilt);
        // The cache folder itself opens directly.
        using (var cached = DataSources.Open(Path.Combine(folder.Path, ".sonosynth-cache", "32")))
            Assert.Equal(24, cached.Images.Count);
    }

    [Fact]
    public void ChangedSourceOrSizeRebuilds()
    {
        using var folder = new TempFolder();
        var records = PhantomGenerator.Write(folder.Path, Options);
        DataSources.Open(folder.Path, imageSize: 16).Dispose();
        var image = folder.PathOf("Images", records[0].ImageName + ".png");
        File.WriteAllBytes(image, GrayPng.Encode(new byte[64 * 64], 64, 64)); // replaced by a black image
        using var rebuilt = DataSources.Open(folder.Path, imageSize: 16);
        Assert.True(rebuilt.WasRebuilt);
        Assert.Equal(0, rebuilt.Images.Pixels[0].max().item<byte>());
        using var otherSize = DataSources.Open(folder.Path, imageSize: 24);
        Assert.True(otherSize.WasRebuilt);
        Assert.Equal(24, otherSize.Images.Width);
        Assert.Single(Directory.GetFiles(rebuilt.CacheFolder, "pixels-*.u8")); // the stale pixel file is gone
    }

    [Fact]
    public void BadImageStopsWithItsRowOrIsSkippedAndListed()
    {
        using var folder = new TempFolder();
        var records = PhantomGenerator.Write(folder.Path, Options);
        using (var first = DataSources.Open(folder.Path, imageSize: 16)) Assert.Equal(24, first.Images.Count);
        var broken = folder.PathOf("Images", records[7].ImageName + ".png");
        File.WriteAllBytes(broken, File.ReadAllBytes(broken)[..40]);

        var error = Assert.Throws<InputError>(() => DataSources.Open(folder.Path, imageSize: 16));
        Assert.Contains(broken, error.Message);
        Assert.Contains("FETAL_PLANES_DB_data.csv line 9", error.Message);
        // Nothing already written is lost: the previous cache still loads as it was.
        using (var previous = PreparedDataset.Load(Path.Combine(folder.Path, ".sonosynth-cache", "16")))
            Assert.Equal(24, previous.Images.Count);

        using var skipped = DataSources.Open(folder.Path, imageSize: 16, skipBad: true);
        Assert.Equal(23, skipped.Images.Count);
        Assert.Equal(broken, Assert.Single(skipped.SkippedImages).FilePath);
        Assert.DoesNotContain(records[7].ImageName, skipped.Images.Ids);
        // A cache that skipped files is not reused by a caller that does not accept skipping.
        Assert.Throws<InputError>(() => DataSources.Open(folder.Path, imageSize: 16));
    }

    [Fact]
    public void ClassFolderTreesUsePlaneOrderWhenNamesMatchElseSortedNames()
    {
        using var folder = new TempFolder();
        var png = GrayPng.Encode(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(), 10, 10);
        foreach (var name in PlaneClasses.Names.Reverse())
        {
            Directory.CreateDirectory(folder.PathOf("planes", PlaneClasses.Slug(name)));
            File.WriteAllBytes(folder.PathOf("planes", PlaneClasses.Slug(name), "a.png"), png);
        }
        using (var planes = DataSources.Open(folder.PathOf("planes"), imageSize: 8))
        {
            Assert.Equal(PlaneClasses.Names, planes.ClassNames);
            Assert.Equal(new long[] { 0, 1, 2, 3, 4, 5 }, planes.Images.Labels.Order());
            Assert.Equal(0, planes.Images.Labels[Array.IndexOf(planes.Images.Ids.ToArray(), "fetal_abdomen/a.png")]);
            Assert.False(planes.HasOfficialSplit);
        }
        foreach (var name in new[] { "zebra", "apple", "mango" })
        {
            Directory.CreateDirectory(folder.PathOf("fruit", name));
            File.WriteAllBytes(folder.PathOf("fruit", name, "x.png"), png);
        }
        using (var fruit = DataSources.Open(folder.PathOf("fruit"), imageSize: 8))
            Assert.Equal(new[] { "apple", "mango", "zebra" }, fruit.ClassNames);
        Directory.CreateDirectory(folder.PathOf("fruit", "kiwi"));
        var error = Assert.Throws<InputError>(() => DataSources.Open(folder.PathOf("fruit"), imageSize: 8));
        Assert.Contains("kiwi", error.Message);
        Assert.Contains("holds no images", error.Message);
    }

    [Fact]
    public void MissingFolderExplainsWhatToPass()
    {
        var error = Assert.Throws<InputError>(() => DataSources.Open("/nonexistent/data"));
        Assert.Contains("sonosynth data phantom", error.Message);
    }

    private sealed class Progress(List<SonoSynth.Runtime.ProgressUpdate> updates) : IProgress<SonoSynth.Runtime.ProgressUpdate>
    {
        public void Report(SonoSynth.Runtime.ProgressUpdate value) => updates.Add(value);
    }
}
