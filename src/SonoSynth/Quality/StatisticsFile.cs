using SonoSynth.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>
/// Writes feature statistics as a .npz that pytorch-fid reads (mu, sigma) plus what it ignores: the image count
/// and the feature extractor's id, so a later comparison knows whether the distance may be called FID.
/// </summary>
public static class StatisticsFile
{
    public static void Write(string path, FeatureStatistics statistics, string extractorId)
    {
        using var count = tensor((double)statistics.Count);
        NpzFile.Write(path,
            new Dictionary<string, Tensor> { ["mu"] = statistics.Mean, ["sigma"] = statistics.Covariance, ["count"] = count },
            new Dictionary<string, string> { ["extractor"] = extractorId });
    }
}
