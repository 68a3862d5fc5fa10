using SonoSynth.Imaging;
using SonoSynth.Quality.Features;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

/// <summary>Small gray PNGs for quality tests.</summary>
internal static class TestImages
{
    /// <summary>Writes a [H x W] float image in [0,1] as a gray PNG at <paramref name="relative"/> inside the folder.</summary>
    public static string WritePng(this TempFolder folder, string relative, Tensor image)
    {
        var path = folder.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bytes = image.clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).contiguous();
        GrayPng.Save(path, bytes.data<byte>().ToArray(), (int)image.shape[1], (int)image.shape[0]);
        return path;
    }

    /// <summary>A smooth random image (low-frequency noise upsampled), like an anatomy-free ultrasound texture.</summary>
    public static Tensor SmoothImage(Generator generator, int size = 32, double offset = 0)
    {
        var coarse = rand([1, 1, 4, 4], generator: generator);
        return (nn.functional.interpolate(coarse, [size, size], mode: InterpolationMode.Bilinear, align_corners: false)[0, 0] + offset).clamp(0, 1);
    }
}

/// <summary>
/// A tiny deterministic extractor for tests of the evaluation wiring: 4x4 average-pooled pixels (16-d).
/// Not FID, and says so through <see cref="IsFidInception"/>.
/// </summary>
internal sealed class PooledPixelsExtractor : IFeatureExtractor
{
    public string Id => "test-pooled-pixels-4x4";
    public string DisplayName => "4x4 pooled pixels (test)";
    public bool IsFidInception => false;
    public int FeatureCount => 16;
    public int InputSize => 16;
    public Tensor Extract(Tensor images) => nn.functional.adaptive_avg_pool2d(images, [4, 4]).reshape(images.shape[0], 16);
    public void Dispose() { }
}
