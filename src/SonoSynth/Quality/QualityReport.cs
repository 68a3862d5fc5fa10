namespace SonoSynth.Quality;

/// <summary>Scores of one comparison (all images, or one class).</summary>
/// <param name="Class">Class slug, or null for the whole sets.</param>
/// <param name="FrechetDistance">FID when the report's Metric is "fid"; otherwise a Fréchet distance on other features.</param>
public sealed record QualityScores(string? Class, long SyntheticCount, long RealCount, double FrechetDistance,
    KidResult? Kid, PrecisionRecallResult? PrecisionRecall);

/// <summary>
/// Result of `sonosynth fid`. <paramref name="Metric"/> is "fid" only when both sides used the official FID
/// Inception weights; otherwise "frechet_distance", and <paramref name="MetricLabel"/> names the extractor.
/// </summary>
public sealed record QualityReport(
    string Metric,
    string MetricLabel,
    string Extractor,
    string Synthetic,
    string Real,
    QualityScores Overall,
    IReadOnlyList<QualityScores> PerClass,
    IReadOnlyList<string> Notes);
