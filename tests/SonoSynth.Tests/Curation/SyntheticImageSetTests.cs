using SonoSynth.Curation;

namespace SonoSynth.Tests.Curation;

public class SyntheticImageSetTests
{
    [Fact]
    public void ReadsTheGeneratorManifestInItsOrder()
    {
        using var images = new SyntheticFolder(imagesPerKind: 2);
        var set = SyntheticImageSet.Load(images.Root);
        Assert.True(set.FromManifest);
        Assert.Equal(["round1/fetal_brain/00000.png", "round1/fetal_femur/00000.png", "round1/fetal_brain/00001.png",
            "round1/fetal_femur/00001.png"], set.Images.Select(i => i.Id));
        var first = set.Images[0];
        Assert.Equal(("Fetal brain", "1", "100", "ddim", "50", "2.0"),
            (first.ClassName, first.Round, first.Seed, first.Sampler, first.Steps, first.Guidance));
        Assert.Equal(2, set.IndexOf("round1/fetal_brain/00001.png"));
        Assert.Null(set.Find("../manifest.csv"));
    }

    [Fact]
    public void WithoutAManifestScansPngsAndTakesTheClassFromTheFolder()
    {
        using var images = new SyntheticFolder(imagesPerKind: 2, withManifest: false);
        var set = SyntheticImageSet.Load(images.Root);
        Assert.False(set.FromManifest);
        Assert.Equal(4, set.Count);
        Assert.Equal(["Fetal brain", "Fetal brain", "Fetal femur", "Fetal femur"], set.Images.Select(i => i.ClassName));
    }

    [Fact]
    public void AManifestRowForAMissingImageIsAnErrorNamingTheLine()
    {
        using var images = new SyntheticFolder(imagesPerKind: 2);
        File.Delete(Path.Combine(images.Root, "round1/fetal_femur/00000.png"));
        var error = Assert.Throws<InputError>(() => SyntheticImageSet.Load(images.Root));
        Assert.Contains("line 3", error.Message);
        Assert.Contains("round1/fetal_femur/00000.png", error.Message);
    }
}
