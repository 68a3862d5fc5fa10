using SkiaSharp;
using SonoSynth.IO;

namespace SonoSynth.Inference;

/// <summary>
/// Draws a heat map in [0, 1] as a jet colour map over the gray scan, blended so the anatomy stays visible:
/// weak responses keep the gray image, strong ones turn red.
/// </summary>
public static class HeatmapOverlay
{
    /// <summary>Opacity of the colour map where the heat is 1; it fades with the heat so cold regions stay gray.</summary>
    public const double MaxOpacity = 0.6;

    /// <summary>RGBA pixels (width*height*4) of the overlay.</summary>
    public static byte[] Blend(ReadOnlySpan<byte> gray, ReadOnlySpan<float> heat, int width, int height)
    {
        if (gray.Length != width * height || heat.Length != width * height)
            throw new ArgumentException($"Expected {width * height} gray and heat values for {width}x{height}.");
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < gray.Length; i++)
        {
            double h = Math.Clamp(heat[i], 0f, 1f);
            var (r, g, b) = Jet(h);
            double alpha = MaxOpacity * Math.Sqrt(h);
            rgba[4 * i] = (byte)Math.Round((1 - alpha) * gray[i] + alpha * r);
            rgba[4 * i + 1] = (byte)Math.Round((1 - alpha) * gray[i] + alpha * g);
            rgba[4 * i + 2] = (byte)Math.Round((1 - alpha) * gray[i] + alpha * b);
            rgba[4 * i + 3] = 255;
        }
        return rgba;
    }

    /// <summary>Writes the overlay as an RGB PNG, atomically.</summary>
    public static void Save(string path, ReadOnlySpan<byte> gray, ReadOnlySpan<float> heat, int width, int height)
    {
        var rgba = Blend(gray, heat, width, height);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        rgba.CopyTo(bitmap.GetPixelSpan());
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>Matplotlib's classic "jet": blue → cyan → yellow → red, as 0..255 channels.</summary>
    public static (double R, double G, double B) Jet(double value)
    {
        double Channel(double offset) => 255 * Math.Clamp(1.5 - Math.Abs(4 * value - offset), 0, 1);
        return (Channel(3), Channel(2), Channel(1));
    }
}
