namespace SonoSynth.Quality.Memorisation;

/// <summary>Settings of the memorisation audit.</summary>
/// <param name="PixelSize">Images are compared as PixelSize x PixelSize gray pixels in [0,1] (L2).</param>
/// <param name="CopyPercentile">A synthetic image is a likely copy when its nearest-training distance is at or below
/// this percentile of the real-vs-real nearest-neighbour distances (held-out real → training).</param>
/// <param name="HeldOutFraction">Without a held-out set, this share of the training set (seeded draw; at least 20 images
/// or half the set) serves as the real reference: its nearest neighbours are searched among the remaining training images.</param>
/// <param name="ClosestPairs">Pairs shown in the side-by-side picture.</param>
/// <param name="PictureSize">Side length of each image in the pairs picture.</param>
public sealed record MemorisationOptions(
    int PixelSize = 64,
    double CopyPercentile = 1.0,
    double HeldOutFraction = 0.1,
    int ClosestPairs = 16,
    int PictureSize = 128,
    int BatchSize = 50,
    ulong Seed = 0)
{
    public static MemorisationOptions Default { get; } = new();
}
