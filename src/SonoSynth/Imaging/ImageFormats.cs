namespace SonoSynth.Imaging;

/// <summary>The image files SonoSynth reads (what <see cref="ImageDecoder"/> decodes), by extension.</summary>
public static class ImageFormats
{
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>Whether the extension (any case) is one of <see cref="Extensions"/>.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);
}
