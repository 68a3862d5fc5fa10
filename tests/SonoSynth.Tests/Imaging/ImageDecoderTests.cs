using SkiaSharp;
using SonoSynth.Imaging;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Imaging;

public class ImageDecoderTests
{
    private const int Width = 12, Height = 9;

    /// <summary>A gray ramp with some structure: value = (17x + 29y) mod 256.</summary>
    private static int[] GrayValues() =>
        Enumerable.Range(0, Width * Height).Select(i => (17 * (i % Width) + 29 * (i / Width)) % 256).ToArray();

    private static byte[] Decode(byte[] png, string name)
    {
        var (gray, width, height) = ImageDecoder.DecodeGrayBytes(png, name, DecodePolicy.NativeGray);
        Assert.Equal((Width, Height), (width, height));
        return gray;
    }

    [Fact]
    public void EightAndSixteenBitGrayRgbAndRgbaOfTheSameContentDecodeAlike()
    {
        var gray = GrayValues();
        var expected = gray.Select(v => (byte)v).ToArray();
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.Gray, 8, gray), "gray8"));
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.Gray, 16, gray.Select(v => v * 257).ToArray()), "gray16"));
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.Rgb, 8, gray.SelectMany(v => new[] { v, v, v }).ToArray()), "rgb8"));
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.Rgb, 16, gray.SelectMany(v => new[] { v * 257, v * 257, v * 257 }).ToArray()), "rgb16"));
        // Alpha is ignored, as PIL's convert('L') ignores it: a half-transparent pixel keeps its gray.
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.Rgba, 8, gray.SelectMany((v, i) => new[] { v, v, v, i % 2 == 0 ? 255 : 128 }).ToArray()), "rgba8"));
        Assert.Equal(expected, Decode(RawPng.Encode(Width, Height, RawPng.GrayAlpha, 8, gray.SelectMany(v => new[] { v, 200 }).ToArray()), "graya8"));
    }

    [Fact]
    public void ColourBecomesPilLuma()
    {
        // PIL: Image.new('RGB', (1,1), c).convert('L') gives 76 for red, 150 for green, 29 for blue, 128 for (100,150,120)...
        // (100·299 + 150·587 + 120·114)/1000 = 131.73 → 132.
        int[] rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 150, 120];
        var (gray, _, _) = ImageDecoder.DecodeGrayBytes(RawPng.Encode(4, 1, RawPng.Rgb, 8, rgb), "colours", DecodePolicy.NativeGray);
        Assert.Equal(new byte[] { 76, 150, 29, 132 }, gray);
    }

    [Fact]
    public void ResizingAConstantImageKeepsItsValueAtAnyScale()
    {
        var big = Enumerable.Repeat(100, 300 * 200).ToArray();
        var png = RawPng.Encode(300, 200, RawPng.Gray, 8, big);
        using var folder = new TempFolder();
        var path = folder.PathOf("constant.png");
        File.WriteAllBytes(path, png);
        Assert.All(ImageDecoder.DecodeGray(path, DecodePolicy.Training(32)).Pixels, v => Assert.Equal(100, v));
        Assert.All(ImageDecoder.DecodeGray(path, DecodePolicy.Training(512)).Pixels, v => Assert.Equal(100, v));
        Assert.Equal(32 * 32, ImageDecoder.DecodeGray(path, DecodePolicy.Training(32)).Pixels.Length);
    }

    [Fact]
    public void DownscalingAveragesInsteadOfPickingPixels()
    {
        // A 1-pixel checkerboard of 0/254 shrunk 8× must come out near its mean (127), not near 0 or 254.
        var checker = Enumerable.Range(0, 256 * 256).Select(i => ((i % 256) + (i / 256)) % 2 == 0 ? 0 : 254).ToArray();
        var gray = ImageDecoder.Resize(checker.Select(v => (byte)v).ToArray(), 256, 256, 32);
        Assert.All(gray, v => Assert.InRange(v, 110, 145));
    }

    [Fact]
    public void JpegDecodesCloseToItsContent()
    {
        var info = new SKImageInfo(Width * 4, Height * 4, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % info.Width * 4);
        using var image = SKImage.FromBitmap(bitmap);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 95);
        var (gray, width, _) = ImageDecoder.DecodeGrayBytes(jpeg.ToArray(), "ramp.jpg", DecodePolicy.NativeGray);
        Assert.Equal(info.Width, width);
        for (int i = 0; i < gray.Length; i++) Assert.InRange(gray[i], i % width * 4 - 6, i % width * 4 + 6);
    }

    [Fact]
    public void BadFilesGiveErrorsThatNameTheFileAndTheFix()
    {
        using var folder = new TempFolder();
        var good = RawPng.Encode(Width, Height, RawPng.Gray, 8, GrayValues());
        var cases = new Dictionary<string, (byte[]? Bytes, string Expected)>
        {
            ["missing.png"] = (null, "is missing"),
            ["empty.png"] = ([], "zero-byte"),
            ["truncated.png"] = (good[..(good.Length / 2)], "truncated"),
            ["corrupt.png"] = (Enumerable.Range(0, 400).Select(i => (byte)(i * 37)).ToArray(), "not a readable PNG or JPEG"),
            ["huge.png"] = (RawPng.HeaderOnly(30_000, 30_000), "30000x30000"),
        };
        foreach (var (name, (bytes, expected)) in cases)
        {
            var path = folder.PathOf(name);
            if (bytes is not null) File.WriteAllBytes(path, bytes);
            var error = Assert.Throws<InputError>(() => ImageDecoder.DecodeGray(path, DecodePolicy.Training(16)));
            Assert.Contains(path, error.Message);
            Assert.Contains(expected, error.Message);
            Assert.Contains("--skip-bad", error.Message);
        }
    }
}
