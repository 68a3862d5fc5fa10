using System.CommandLine;
using SonoSynth.Quality.Features;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>Options shared by the quality verbs (fid, fid stats, audit memorisation).</summary>
internal static class QualityCliOptions
{
    public static Option<string?> InceptionWeights() => new("--inception-weights")
    {
        Description = $"The FID Inception weights file {FidInceptionWeights.FileName} ({FidInceptionWeights.DownloadUrl}). " +
            $"Default: ${FidInceptionWeights.EnvironmentVariable}, then {FidInceptionWeights.DefaultPath}.",
    };

    public static Option<string> Extractor() => new("--extractor")
    {
        Description = $"Feature extractor: {FeatureExtractors.Auto} (FID Inception if its weights are found, else a seeded " +
            $"random Inception, reported as NOT FID), {FeatureExtractors.FidInception} (fail without the weights), " +
            $"{FeatureExtractors.RandomInception}.",
        DefaultValueFactory = _ => FeatureExtractors.Auto,
    };

    public static Option<int> BatchSize() => new("--batch-size")
    {
        Description = "Images per Inception batch.", DefaultValueFactory = _ => 50,
    };

    public static Option<int> DatasetImageSize() => new("--image-size")
    {
        Description = "Side length prepared data sets (and image files under --decode training) are loaded at (the paper trains at 128); " +
            "images are then resized to 299 for Inception.",
        DefaultValueFactory = _ => 128,
    };

    public static Option<string> Decode() => new("--decode")
    {
        Description = "How image files are read: pytorch-fid (default: RGB at the file's own size, one bilinear resize to 299, exactly as " +
            "'python -m pytorch_fid' does, so numbers compare with published FIDs) or training (gray at --image-size px, the view " +
            "training has; dataset: inputs always use it).",
        DefaultValueFactory = _ => "pytorch-fid",
    };
}
