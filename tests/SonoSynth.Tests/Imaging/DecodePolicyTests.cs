using SonoSynth.Imaging;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Imaging;

/// <summary>
/// What each named policy gets from small PNGs made byte by byte. The expected training and curation pixels in
/// Fixtures/decode were captured from the three decoders before they were folded into one (the commit that added
/// them says how); native gray is PIL's convert('L') and pytorch-fid PIL's convert('RGB') of every pixel, in closed form.
/// Curation's decoder read only gray PNGs, so its fixtures are 8- and 16-bit gray.
/// </summary>
public class DecodePolicyTests
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
    public void NativeGrayIsPilLumaAtNativeSize()
    {
        using var folder = new TempFolder();
        var (pixels, width, height) = ImageDecoder.DecodeGray(WritePng(folder), DecodePolicy.NativeGray);
        Assert.Equal((Width, Height), (width, height));
        var rgb = RgbSamples();
        // PIL: L = (R·19595 + G·38470 + B·7471 + 2^15) >> 16.
        var expected = Enumerable.Range(0, Width * Height)
            .Select(i => (byte)((rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16)).ToArray();
        Assert.Equal(expected, pixels);
    }

    [Fact]
    public void PytorchFidIsPilRgbOverTwoFiftyFiveAtNativeSize()
    {
        // PIL's convert('RGB'): colour kept, alpha dropped, gray replicated; torchvision's ToTensor divides by 255.
        using var folder = new TempFolder();
        var rgb = RgbSamples();
        var rgbaPath = folder.PathOf("rgba.png");
        File.WriteAllBytes(rgbaPath, RawPng.Encode(Width, Height, RawPng.Rgba, 8,
            Enumerable.Range(0, Width * Height).SelectMany(i => new[] { rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2], i % 3 * 100 }).ToArray()));
        foreach (var path in new[] { WritePng(folder), rgbaPath })
        {
            using var image = ImageDecoder.Load(path, DecodePolicy.PytorchFid);
            Assert.Equal(new long[] { 3, Height, Width }, image.shape);
            var planar = Enumerable.Range(0, 3).SelectMany(c => Enumerable.Range(0, Width * Height).Select(i => rgb[3 * i + c] / 255f));
            Assert.Equal(planar.ToArray(), image.data<float>().ToArray());
        }
        var gray = Gray16Samples().Select(v => v >> 8).ToArray();
        using var replicated = ImageDecoder.Load(WritePng(folder, "gray8"), DecodePolicy.PytorchFid);
        Assert.Equal(Enumerable.Repeat(gray, 3).SelectMany(g => g).Select(v => v / 255f).ToArray(), replicated.data<float>().ToArray());
    }

    [Fact]
    public void TrainingTensorIsTheTrainingPixelsOverTwoFiftyFive()
    {
        using var folder = new TempFolder();
        using var image = ImageDecoder.Load(WritePng(folder), DecodePolicy.Training(16));
        Assert.Equal(new long[] { 1, 16, 16 }, image.shape);
        Assert.Equal(File.ReadAllBytes(FixturePath("training-colour-16.bin")).Select(v => v / 255f).ToArray(), image.data<float>().ToArray());
    }

    [Fact]
    public void GrayAndRgbDecodesRefuseAPolicyOfTheOtherColour()
    {
        using var folder = new TempFolder();
        var path = WritePng(folder);
        Assert.Contains("pytorch-fid", Assert.Throws<ArgumentException>(() => ImageDecoder.DecodeGray(path, DecodePolicy.PytorchFid)).Message);
        Assert.Contains("training", Assert.Throws<ArgumentException>(() => ImageDecoder.DecodeRgb(path, DecodePolicy.Training(16))).Message);
    }

    [Fact]
    public void CliSpellingsAndReportWordsAreUnchanged()
    {
        Assert.Equal(DecodePolicy.PytorchFid, DecodePolicy.Parse("pytorch-fid", 128));
        Assert.Equal(DecodePolicy.PytorchFid, DecodePolicy.Parse(" PyTorchFid ", 128));
        Assert.Equal(DecodePolicy.Training(64), DecodePolicy.Parse("training", 64));
        var error = Assert.Throws<ArgumentException>(() => DecodePolicy.Parse("rgb", 128));
        Assert.Contains("pytorch-fid", error.Message);
        Assert.Contains("training", error.Message);
        Assert.Contains("--image-size", Assert.Throws<ArgumentException>(() => DecodePolicy.Parse("training", 0)).Message);
        Assert.Equal("pytorch-fid view (RGB, native size)", DecodePolicy.PytorchFid.Description);
        Assert.Equal("training view (gray, 128 px)", DecodePolicy.Training(128).Description);
        Assert.Equal("gray at native size", DecodePolicy.NativeGray.Description);
    }

    [Theory]
    [InlineData("colour", 16)]
    [InlineData("colour", 64)]
    [InlineData("gray16", 16)]
    public void TrainingPixelsAreUnchanged(string kind, int size)
    {
        using var folder = new TempFolder();
        AssertMatchesFixture($"training-{kind}-{size}.bin", ImageDecoder.DecodeGray(WritePng(folder, kind), DecodePolicy.Training(size)).Pixels);
    }

    [Theory]
    [InlineData("gray8", 16)]
    [InlineData("gray8", 64)]
    [InlineData("gray16", 16)]
    [InlineData("gray16", 64)]
    public void CurationPixelsAreUnchanged(string kind, int size)
    {
        using var folder = new TempFolder();
        AssertMatchesFixture($"curation-{kind}-{size}.bin", ImageDecoder.DecodeGray(WritePng(folder, kind), DecodePolicy.Curation(size)).Pixels);
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
