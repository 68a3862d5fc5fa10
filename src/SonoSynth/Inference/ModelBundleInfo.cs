using SonoSynth.Models;

namespace SonoSynth.Inference;

/// <summary>
/// How a bundled model turns a file into logits: the image is decoded to 8-bit gray (PIL's luma for colour),
/// resized to <see cref="ResizeTo"/>² and divided by 255, exactly as training preprocesses.
/// </summary>
public sealed record Preprocessing(bool Grayscale, int ResizeTo, double ScaleDivisor)
{
    /// <summary>The paper's preprocessing at <paramref name="imageSize"/>: gray, square resize, [0, 1].</summary>
    public static Preprocessing Training(int imageSize) => new(true, imageSize, 255.0);
}

/// <summary>Where the weights came from (a training run folder, an export, an import from PyTorch).</summary>
public sealed record Provenance(string Source, DateTime CreatedUtc, IReadOnlyDictionary<string, string> Details)
{
    public static Provenance Now(string source, IReadOnlyDictionary<string, string>? details = null) =>
        new(source, DateTime.UtcNow, details ?? new Dictionary<string, string>());
}

/// <summary>
/// Everything needed to rebuild and use a trained classifier without its training run: architecture name
/// (<see cref="ClassifierRegistry"/>), build options, class names in logit order, preprocessing and provenance.
/// </summary>
public sealed record ModelBundleInfo(int FormatVersion, string Architecture, int InChannels, int NumClasses, int ImageSize,
    IReadOnlyList<string> ClassNames, Preprocessing Preprocessing, Provenance Provenance)
{
    public const int CurrentFormatVersion = 1;

    public ClassifierConfig Options => new(InChannels, NumClasses, ImageSize);
}
