using SkiaSharp;

namespace SonoSynth.Imaging;

/// <summary>Writes 8-bit grayscale PNGs (synthetic images, sample grids, heat maps of one channel).</summary>
public static class GrayPng
{
    /// <summary>Encodes <paramref name="pixels"/> (row-major, width*height bytes) as a grayscale PNG.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height)
    {
        if (pixels.Length != width * height)
            throw new ArgumentException($"Expected {width * height} pixels for {width}x{height}, got {pixels.Length}.");
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        pixels.CopyTo(bitmap.GetPixelSpan());
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes the PNG atomically (a kill never leaves a truncated image behind).</summary>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height) =>
        IO.AtomicFile.WriteAllBytes(path, Encode(pixels, width, height));
}
