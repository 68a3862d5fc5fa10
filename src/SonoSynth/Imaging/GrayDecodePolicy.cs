namespace SonoSynth.Imaging;

/// <summary>
/// What one purpose needs from an image file: PIL-luma gray (always), resized to a square <see cref="Size"/> (null
/// keeps the file's size) with or without mipmaps. Every decode in SonoSynth names one of these, so two purposes
/// see one PNG differently only where a policy says so.
/// </summary>
/// <param name="Mipmaps">Bilinear over mipmaps, so large downscales average the source as PIL's antialiased resize does.</param>
public sealed record GrayDecodePolicy(string Name, int? Size, bool Mipmaps)
{
    /// <summary>The classifiers' input (the paper: gray, 128×128): dataset cache, prediction and heat maps.</summary>
    public static GrayDecodePolicy Training(int size) => new("training", CheckedSize(size), Mipmaps: true);

    /// <summary>Gray at the file's own size, as pytorch-fid's PIL loader gives it; the FID input path resizes to 299 px itself.</summary>
    public static GrayDecodePolicy PytorchFid { get; } = new("pytorch-fid", null, Mipmaps: false);

    /// <summary>The curation quality model's input: plain bilinear resizing (no mipmaps), as saved quality models were trained.</summary>
    public static GrayDecodePolicy Curation(int size) => new("curation", CheckedSize(size), Mipmaps: false);

    private static int CheckedSize(int size) =>
        size is >= 1 and <= 4096 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "Image size must be 1..4096.");
}
