namespace SonoSynth.Imaging;

/// <summary>The pixels a <see cref="DecodePolicy"/> gives.</summary>
public enum PixelColor
{
    /// <summary>8-bit ITU-R 601 luma, as PIL's <c>convert('L')</c>.</summary>
    Gray,
    /// <summary>8-bit RGB, as PIL's <c>convert('RGB')</c>: gray replicated, alpha dropped.</summary>
    Rgb,
}

/// <summary>
/// What one purpose needs from an image file: gray or RGB, resized to a square <see cref="Size"/> (null keeps the
/// file's size) with or without mipmaps. Every decode in SonoSynth names one of these members (the constructor is
/// private), so two purposes see one PNG differently only where a policy says so.
/// </summary>
public sealed record DecodePolicy
{
    private DecodePolicy(string name, PixelColor color, int? size, bool mipmaps) =>
        (Name, Color, Size, Mipmaps) = (name, color, size, mipmaps);

    public string Name { get; }
    public PixelColor Color { get; }
    /// <summary>Side of the square result; null: the file's own size.</summary>
    public int? Size { get; }
    /// <summary>Bilinear over mipmaps, so large downscales average the source as PIL's antialiased resize does.</summary>
    public bool Mipmaps { get; }

    /// <summary>The classifiers' input (the paper: gray, 128×128): dataset cache, prediction, heat maps, <c>fid --decode training</c>.</summary>
    public static DecodePolicy Training(int size) => new("training", PixelColor.Gray, CheckedSize(size), mipmaps: true);

    /// <summary>What pytorch-fid sees: RGB at the file's own size; the FID input path resizes to 299 px itself.</summary>
    public static DecodePolicy PytorchFid { get; } = new("pytorch-fid", PixelColor.Rgb, null, mipmaps: false);

    /// <summary>The curation quality model's input: plain bilinear resizing (no mipmaps), as saved quality models were trained.</summary>
    public static DecodePolicy Curation(int size) => new("curation", PixelColor.Gray, CheckedSize(size), mipmaps: false);

    /// <summary>
    /// Gray at the file's own size: the background of heat maps, one decode to fit to several training sizes, our own
    /// PNGs read back, and quality inputs opened without a <c>--decode</c>.
    /// </summary>
    public static DecodePolicy NativeGray { get; } = new("native-gray", PixelColor.Gray, null, mipmaps: false);

    /// <summary>Words for reports: "pytorch-fid view (RGB, native size)", "training view (gray, 128 px)", "gray at native size".</summary>
    public string Description => this == NativeGray ? "gray at native size"
        : $"{Name} view ({(Color == PixelColor.Rgb ? "RGB" : "gray")}, {(Size is int size ? $"{size} px" : "native size")})";

    /// <summary>The CLI's <c>--decode</c>: "pytorch-fid" or "training" (gray at <paramref name="trainingSize"/> px).</summary>
    public static DecodePolicy Parse(string text, int trainingSize) => text.Trim().ToLowerInvariant() switch
    {
        "pytorch-fid" or "pytorchfid" => PytorchFid,
        "training" => trainingSize is >= 1 and <= MaxSize ? Training(trainingSize)
            : throw new ArgumentException($"--decode training reads images at --image-size px, which must be 1..{MaxSize} (got {trainingSize})."),
        _ => throw new ArgumentException($"Unknown decode '{text}'. Choose pytorch-fid (RGB, native size, as pytorch-fid) or training (gray, --image-size px, as training sees it)."),
    };

    private const int MaxSize = 4096;

    private static int CheckedSize(int size) =>
        size is >= 1 and <= MaxSize ? size : throw new ArgumentOutOfRangeException(nameof(size), size, $"Image size must be 1..{MaxSize}.");
}
