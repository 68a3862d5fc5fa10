using static TorchSharp.torch;

namespace SonoSynth.Quality.Features;

/// <summary>Maps gray images to feature vectors for distribution metrics (FID, KID, precision/recall).</summary>
public interface IFeatureExtractor : IDisposable
{
    /// <summary>Machine-readable name, recorded in JSON and .npz files ("inception-v3-fid-2015-12-05").</summary>
    string Id { get; }

    /// <summary>Human-readable name for reports.</summary>
    string DisplayName { get; }

    /// <summary>True only for the official FID Inception weights: only then is the Fréchet distance called FID.</summary>
    bool IsFidInception { get; }

    int FeatureCount { get; }

    /// <summary>Square side the images are resized to before <see cref="Extract"/>.</summary>
    int InputSize { get; }

    /// <summary><paramref name="images"/>: float [B x C x InputSize x InputSize] in [0,1], C = 1 or 3 (CPU). Returns float32 [B x FeatureCount] on the CPU.</summary>
    Tensor Extract(Tensor images);
}
