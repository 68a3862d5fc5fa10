using SonoSynth.Imaging;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Imaging;

/// <summary>
/// What each caller of the gray decoder gets from small PNGs made byte by byte. The expected training and curation
/// pixels in Fixtures/decode were captured from the three decoders before they were folded into one (the commit
/// that added them says how); the FID pixels are PIL's convert('L') of every pixel, computed here in closed form.
/// Curation's decoder read only gray PNGs, so its fixtures are 8- and 16-bit gray.
/// </summary>
public class GrayDecodePolicyTests
{
    private const int Width = 40, Height = 24;

    /// <summary>An RGB image whose channels differ, so gray conversions that weigh them differently disagree.</summary>
    private static int[] RgbSamples() => Enumerable.Range(0, Width * Height).SelectMany(i =>
    {
        int x = i % Width, y = i / Width;
        return new[] { (7 * x + 3 * y) % 256, (11 * y + x) % 256, x * y % 256 };
    }).ToArray();

    /// <summary>16-bit gray whose low bytes vary, so the 16 → 8 bit reduction shows.</summary>
    private static int[] Gray16Samples() => Enumerable.Range(0, Width * Height)
        .Select(i => ((5 * (i % Width) + 9 * (i / Width)) % 256 << 8) | ((37 * (i % Width) + 11 * (i / Width)) & 0xFF)).ToArray();

    private static string WritePng(TempFolder folder, string kind = "colour")
    {
        var path = folder.PathOf(kind + ".png");
        File.WriteAllBytes(path, kind switch
        {
            "colour" => RawPng.Encode(Width, Height, RawPng.Rgb, 8, RgbSamples()),
            "gray8" => RawPng.Encode(Width, Height, RawPng.Gray, 8, Gray16Samples().Select(v => v >> 8).ToArray()),
            "gray16" => RawPng.Encode(Width, Height, RawPng.Gray, 16, Gray16Samples()),
            _ => throw new ArgumentException(kind),
        });
        return path;
    }

    private static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Imaging", "Fixtures", "decode", name);

    private static void AssertMatchesFixture(string name, byte[] actual)
    {
        Assert.Equal(File.ReadAllBytes(FixturePath(name)), actual);
    }

    [Fact]
    public void PytorchFidIsPilLumaAtNativeSize()
    {
        using var folder = new TempFolder();
        var (pixels, width, height) = GrayImageDecoder.Decode(WritePng(folder), GrayDecodePolicy.PytorchFid);
        Assert.Equal((Width, Height), (width, height));
        var rgb = RgbSamples();
        // PIL: L = (R·19595 + G·38470 + B·7471 + 2^15) >> 16.
        var expected = Enumerable.Range(0, Width * Height)
            .Select(i => (byte)((rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16)).ToArray();
        Assert.Equal(expected, pixels);
    }

    [Theory]
    [InlineData("colour", 16)]
    [InlineData("colour", 64)]
    [InlineData("gray16", 16)]
    public void TrainingPixelsAreUnchanged(string kind, int size)
    {
        using var folder = new TempFolder();
        AssertMatchesFixture($"training-{kind}-{size}.bin", GrayImageDecoder.Decode(WritePng(folder, kind), GrayDecodePolicy.Training(size)).Pixels);
    }

    [Theory]
    [InlineData("gray8", 16)]
    [InlineData("gray8", 64)]
    [InlineData("gray16", 16)]
    [InlineData("gray16", 64)]
    public void CurationPixelsAreUnchanged(string kind, int size)
    {
        using var folder = new TempFolder();
        AssertMatchesFixture($"curation-{kind}-{size}.bin", GrayImageDecoder.Decode(WritePng(folder, kind), GrayDecodePolicy.Curation(size)).Pixels);
    }

    [Fact]
    public void ImageFilesAreKnownByExtensionInAnyCase()
    {
        Assert.True(ImageFormats.IsImage("scans/A.PNG"));
        Assert.True(ImageFormats.IsImage("b.jpeg"));
        Assert.True(ImageFormats.IsImage("c.Jpg"));
        Assert.False(ImageFormats.IsImage("d.bmp"));
        Assert.False(ImageFormats.IsImage("png"));
    }
}
