namespace SonoSynth.Quality.Memorisation;

/// <summary>The nearest training image of one synthetic image, in pixel space and (optionally) feature space.</summary>
/// <param name="PixelRealShare">Share of real-vs-real distances at or below this distance (small = suspiciously close).</param>
public sealed record NearestTrainingImage(
    int SyntheticIndex,
    string SyntheticId,
    string? SyntheticClass,
    int PixelTrainIndex,
    string PixelTrainId,
    double PixelDistance,
    double PixelRealShare,
    bool PixelCopy,
    int? FeatureTrainIndex,
    string? FeatureTrainId,
    double? FeatureDistance,
    double? FeatureRealShare,
    bool FeatureCopy)
{
    /// <summary>Flagged in either space.</summary>
    public bool LikelyCopy => PixelCopy || FeatureCopy;
}

/// <summary>Distances of one space: synthetic → training and real (held-out) → training, and the copy threshold.</summary>
public sealed record SpaceSummary(string Space, double[] SyntheticToTrain, double[] RealToTrain, double CopyThreshold);

/// <summary>Result of the memorisation audit.</summary>
public sealed record MemorisationReport(
    IReadOnlyList<NearestTrainingImage> Matches,
    SpaceSummary Pixel,
    SpaceSummary? Feature,
    string? FeatureExtractor,
    string RealReference,
    int TrainingCount,
    int RealReferenceCount,
    MemorisationOptions Options)
{
    public int LikelyCopyCount => Matches.Count(m => m.LikelyCopy);
}
