using SonoSynth.Cli;
using SonoSynth.Curation;
using SonoSynth.Tests.Curation;

namespace SonoSynth.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public class CurateCommandsTests
{
    [Fact]
    public void TrainThenFilterFromTheCommandLine()
    {
        using var images = new SyntheticFolder(imagesPerKind: 8);
        var set = SyntheticImageSet.Load(images.Root);
        using (var store = LabelStore.Open(images.Labels, "frank"))
            foreach (var image in set.Images)
                store.Label(image.Id, image.ClassName == "Fetal brain" ? CurationVerdict.Good : CurationVerdict.Bad);
        var model = Path.Combine(images.Root, "model");
        var split = Path.Combine(images.Root, "split");

        // --labels left out: the default is DIR/curation, where 'curate serve' writes.
        Assert.Equal(0, CliApplication.Run(["curate", "train", "--images", images.Root, "--out", model,
            "--image-size", "32", "--epochs", "2", "--seed", "3", "--json"]));
        Assert.True(File.Exists(Path.Combine(model, CurationModel.WeightsFileName)));
        Assert.Equal(0, CliApplication.Run(["curate", "filter", "--images", images.Root, "--model", model, "--out", split, "--json"]));
        int rows = File.ReadAllLines(Path.Combine(split, CurationFilter.GoodManifestName)).Length - 1
            + File.ReadAllLines(Path.Combine(split, CurationFilter.BadManifestName)).Length - 1;
        Assert.Equal(16, rows);
    }

    [Fact]
    public void BadInputExitsWithCodeTwo()
    {
        using var images = new SyntheticFolder(imagesPerKind: 2);
        using (var store = LabelStore.Open(images.Labels, "frank"))
            store.Label(SyntheticImageSet.Load(images.Root).Images[0].Id, CurationVerdict.Good);
        // One good label is not enough to train on.
        Assert.Equal(2, CliApplication.Run(["curate", "train", "--images", images.Root, "--out", Path.Combine(images.Root, "m")]));
        Assert.False(Directory.Exists(Path.Combine(images.Root, "m"))); // no empty model folder left behind
        Assert.Equal(2, CliApplication.Run(["curate", "filter", "--images", images.Root, "--model", Path.Combine(images.Root, "none"),
            "--out", Path.Combine(images.Root, "split")]));
        Assert.Equal(2, CliApplication.Run(["curate", "serve", Path.Combine(images.Root, "missing")]));
    }
}
