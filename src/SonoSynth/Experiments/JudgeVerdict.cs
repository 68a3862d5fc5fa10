namespace SonoSynth.Experiments;

/// <summary>What the judge says of one synthetic set: the share of images it puts in their intended class.</summary>
/// <param name="CeilingAccuracy">The judge's accuracy on the real test images: what a perfect synthetic set would score.</param>
public sealed record JudgeVerdict(string Architecture, string SetName, int Images, double IntendedClassAccuracy, double CeilingAccuracy,
    double Chance, IReadOnlyList<JudgeClassVerdict> PerClass);

public sealed record JudgeClassVerdict(string Class, int Images, double IntendedClassAccuracy, double CeilingAccuracy);
