using SkiaSharp;

namespace SonoSynth.Quality.Inputs;

/// <summary>Decodes a PNG or JPEG into 8-bit gray pixels (row-major), whatever its color type.</summary>
public static class GrayImageFile
{
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    public static bool IsImage(string path) =>
        Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Pixels, width and height. Color images become gray with PIL's convert('L') weights (ITU-R 601-2 luma,
    /// 16-bit fixed point), so a gray PNG saved as RGB gives back exactly its gray values.
    /// </summary>
    public static (byte[] Pixels, int Width, int Height) Read(string path)
    {
        using var codec = SKCodec.Create(path)
            ?? throw new InputError($"'{path}' is not a readable PNG/JPEG image. Remove it or re-export it.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = SKBitmap.Decode(codec, info)
            ?? throw new InputError($"'{path}' could not be decoded. Remove it or re-export it.");
        var rgba = bitmap.GetPixelSpan();
        var gray = new byte[info.Width * info.Height];
        for (int i = 0; i < gray.Length; i++)
            gray[i] = (byte)((rgba[4 * i] * 19595 + rgba[4 * i + 1] * 38470 + rgba[4 * i + 2] * 7471 + 0x8000) >> 16);
        return (gray, info.Width, info.Height);
    }
}
