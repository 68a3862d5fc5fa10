using static TorchSharp.torch;

namespace SonoSynth.Imaging;

/// <summary>How an image file becomes a tensor. One file must never be seen two ways by accident, so callers name the view.</summary>
public enum ImageDecodePolicy
{
    /// <summary>What training sees: 8-bit luma (PIL's convert('L')) resized to N×N as <c>data prepare</c> does.</summary>
    Training,
    /// <summary>What pytorch-fid sees: RGB (PIL's convert('RGB'): gray replicated, alpha dropped) at the file's own size;
    /// the feature extractor then resizes once, bilinearly, to its input size.</summary>
    PytorchFid,
}

/// <summary>Decodes image files under an <see cref="ImageDecodePolicy"/>; built on <see cref="GrayImageDecoder"/>'s reader.</summary>
public static class ImageDecoder
{
    /// <summary>Decodes at full resolution to 8-bit RGB, row-major, channels interleaved.</summary>
    public static (byte[] Rgb, int Width, int Height) DecodeRgb(string path)
    {
        var (rgba, width, height) = GrayImageDecoder.DecodeRgba(GrayImageDecoder.ReadFile(path), path);
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; j < rgba.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }
        return (rgb, width, height);
    }

    /// <summary>
    /// Float [C x H x W] in [0, 1] (torchvision's ToTensor: byte / 255): [1 x N x N] under <see cref="ImageDecodePolicy.Training"/>
    /// with N = <paramref name="trainingSize"/>, [3 x H x W] at the file's size under <see cref="ImageDecodePolicy.PytorchFid"/>.
    /// </summary>
    public static Tensor Load(string path, ImageDecodePolicy policy, int trainingSize)
    {
        if (policy == ImageDecodePolicy.Training)
        {
            var gray = GrayImageDecoder.Decode(path, GrayDecodePolicy.Training(trainingSize)).Pixels;
            return tensor(gray, [1, trainingSize, trainingSize], dtype: ScalarType.Byte).to_type(ScalarType.Float32).div_(255f);
        }
        var (rgb, width, height) = DecodeRgb(path);
        using var scope = NewDisposeScope();
        return tensor(rgb, [height, width, 3], dtype: ScalarType.Byte).permute(2, 0, 1).to_type(ScalarType.Float32).div_(255f)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Words for reports: "pytorch-fid view (RGB, native size)" or "training view (gray, 128 px)".</summary>
    public static string Describe(ImageDecodePolicy policy, int trainingSize) => policy == ImageDecodePolicy.PytorchFid
        ? "pytorch-fid view (RGB, native size)" : $"training view (gray, {trainingSize} px)";

    /// <summary>The CLI spelling: "pytorch-fid" or "training".</summary>
    public static ImageDecodePolicy ParsePolicy(string text) => text.Trim().ToLowerInvariant() switch
    {
        "pytorch-fid" or "pytorchfid" => ImageDecodePolicy.PytorchFid,
        "training" => ImageDecodePolicy.Training,
        _ => throw new ArgumentException($"Unknown decode '{text}'. Choose pytorch-fid (RGB, native size, as pytorch-fid) or training (gray, --image-size px, as training sees it)."),
    };
}
