using SonoSynth.Quality.Inception;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Features;

/// <summary>Chooses the feature extractor for FID-style metrics by name.</summary>
public static class FeatureExtractors
{
    /// <summary>Official FID Inception when its weights are found; otherwise the seeded random Inception.</summary>
    public const string Auto = "auto";
    /// <summary>Official FID Inception; an error (saying which file to get) when the weights are missing.</summary>
    public const string FidInception = "fid-inception";
    /// <summary>Inception-v3 with He-normal random weights from a fixed seed: deterministic, but its distance is NOT FID.</summary>
    public const string RandomInception = "random-inception";

    public static IReadOnlyList<string> Names { get; } = [Auto, FidInception, RandomInception];

    /// <summary>Seed of the random Inception; fixed so its distances are comparable between runs and machines.</summary>
    public const ulong RandomInceptionSeed = 0;

    public static IFeatureExtractor Create(string name, string? weightsPath, Device device)
    {
        switch (name)
        {
            case FidInception:
            case Auto:
                var path = FidInceptionWeights.Locate(weightsPath);
                if (path is not null)
                    return new InceptionFeatureExtractor(FidInceptionWeights.Load(path), device, FidInceptionWeights.ExtractorId,
                        "Inception-v3 pool3 (pt_inception-2015-12-05 FID weights)", isFidInception: true);
                if (name == FidInception) throw new InputError(FidInceptionWeights.WhereToGetIt());
                return CreateRandomInception(device);
            case RandomInception:
                return CreateRandomInception(device);
            default:
                throw new ArgumentException($"Unknown feature extractor '{name}'. Choose one of: {string.Join(", ", Names)}.");
        }
    }

    public static IFeatureExtractor CreateRandomInception(Device device)
    {
        var model = new InceptionV3(InceptionV3Options.Fid);
        using var generator = new Generator(RandomInceptionSeed);
        model.InitializeRandom(generator);
        return new InceptionFeatureExtractor(model, device, $"inception-v3-random-he-seed{RandomInceptionSeed}",
            $"randomly initialised Inception-v3 pool3 (He-normal, seed {RandomInceptionSeed})", isFidInception: false);
    }
}
