using SonoSynth.Data;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Data;

public class BatchAugmenterTests
{
    private static Tensor Batch(int seed = 0)
    {
        using var generator = new Generator((ulong)seed);
        return rand([6, 1, 16, 16], generator: generator);
    }

    private static Tensor Apply(Tensor images, AugmentationSettings settings, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return BatchAugmenter.Apply(images, settings, generator);
    }

    [Fact]
    public void NoneIsTheIdentity()
    {
        using var images = Batch();
        using var output = Apply(images, AugmentationSettings.None, 1);
        Assert.True(output.eq(images).all().item<bool>());
    }

    [Theory]
    [InlineData("paper")]
    [InlineData("table12")]
    [InlineData("rotate,hflip,vflip,clip,noise,crop")]
    public void SameSeedSameOutputKeepsShapeAndRange(string preset)
    {
        var settings = AugmentationSettings.Parse(preset);
        using var images = Batch();
        using var first = Apply(images, settings, 42);
        using var second = Apply(images, settings, 42);
        using var other = Apply(images, settings, 43);
        Assert.True(first.eq(second).all().item<bool>());
        Assert.False(first.eq(other).all().item<bool>());
        Assert.Equal(images.shape, first.shape);
        Assert.True(first.min().item<float>() >= 0 && first.max().item<float>() <= 1);
        Assert.False(first.eq(images).all().item<bool>());
    }

    [Fact]
    public void CertainFlipsMirrorAndTwiceRestore()
    {
        var flips = AugmentationSettings.None with { HorizontalFlip = true, VerticalFlip = true, FlipProbability = 1 };
        using var images = Batch();
        using var once = Apply(images, flips, 3);
        Assert.True(once.eq(images.flip(3).flip(2)).all().item<bool>());
        using var twice = Apply(once, flips, 4);
        Assert.True(twice.eq(images).all().item<bool>());
    }

    [Fact]
    public void ZeroStrengthGeometryIsTheIdentity()
    {
        // No rotation range and a crop scale of 1: the affine grid is the identity and bilinear sampling returns the pixels.
        var settings = AugmentationSettings.None with { Rotate = true, MaxRotationDegrees = 0, RandomCrop = true, MinCropScale = 1 };
        using var images = Batch();
        using var output = Apply(images, settings, 5);
        Assert.True(output.allclose(images, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void RotationKeepsTheCentreAndFillsOutsideWithZeros()
    {
        // A white image rotated by any nonzero angle keeps its centre white and pulls black into its corners.
        using var white = ones(4, 1, 32, 32);
        using var rotated = Apply(white, AugmentationSettings.None with { Rotate = true, MaxRotationDegrees = 30 }, 6);
        Assert.True(rotated[.., 0, 16, 16].allclose(ones(4), rtol: 0, atol: 1e-5));
        var corners = rotated[.., 0, 0, 0] + rotated[.., 0, 0, 31] + rotated[.., 0, 31, 0] + rotated[.., 0, 31, 31];
        Assert.True(corners.lt(4).all().item<bool>());
    }

    [Fact]
    public void NoiseHasTheConfiguredStandardDeviation()
    {
        using var gray = full([8, 1, 64, 64], 0.5f);
        using var noisy = Apply(gray, AugmentationSettings.None with { GaussianNoise = true, NoiseStd = 0.05 }, 7);
        Assert.InRange(noisy.sub(gray).std().item<float>(), 0.048, 0.052);
        Assert.InRange(noisy.mean().item<float>(), 0.498, 0.502);
    }

    [Fact]
    public void ContrastClipStretchesTheClippedRangeBackToFull()
    {
        using var ramp = linspace(0, 1, 256).reshape(1, 1, 16, 16).repeat(4, 1, 1, 1);
        using var clipped = Apply(ramp, AugmentationSettings.None with { ContrastClip = true, MaxClipFraction = 0.1 }, 8);
        Assert.True(clipped.amin([1, 2, 3]).eq(0).all().item<bool>());
        Assert.True(clipped.amax([1, 2, 3]).eq(1).all().item<bool>());
        // Clipping saturates the ends: more pixels sit exactly at 0 than in the ramp (which has one).
        Assert.True(clipped.eq(0).sum().item<long>() > 4);
    }

    [Fact]
    public void ParserKnowsPresetsAndListsAndRejectsTypos()
    {
        Assert.Equal(AugmentationSettings.Paper, AugmentationSettings.Parse("rotate,hflip,vflip"));
        Assert.Equal(AugmentationSettings.Table12, AugmentationSettings.Parse("Table12"));
        Assert.Equal("rotate,clip,noise,crop", AugmentationSettings.Table12.Describe());
        Assert.True(AugmentationSettings.Parse("none").IsIdentity);
        var error = Assert.Throws<InputError>(() => AugmentationSettings.Parse("rotate,blur"));
        Assert.Contains("'blur'", error.Message);
        Assert.Contains("rotate, hflip, vflip, clip, noise, crop", error.Message);
    }
}
