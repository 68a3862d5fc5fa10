using SkiaSharp;

namespace SonoSynth.Curation;

/// <summary>Reads an image file as 8-bit grayscale, resized to a square the quality classifier takes.</summary>
public static class GrayImageLoader
{
    /// <summary>Row-major <paramref name="size"/>² bytes; bilinear resampling when the file has another size.</summary>
    public static byte[] Load(string path, int size)
    {
        using var codec = SKCodec.Create(path)
            ?? throw new InputError($"'{path}' is not a readable image (PNG expected). Regenerate it or remove it from the manifest.");
        var grayInfo = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var decoded = SKBitmap.Decode(codec, grayInfo)
            ?? throw new InputError($"'{path}' could not be decoded as an image. Regenerate it or remove it from the manifest.");
        if (decoded.Width == size && decoded.Height == size)
            return decoded.GetPixelSpan().ToArray();
        using var resized = decoded.Resize(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        return resized.GetPixelSpan().ToArray();
    }
}
