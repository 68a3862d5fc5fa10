namespace SonoSynth.Data;

/// <summary>
/// Which training-time augmentations run, and how strongly. <see cref="Paper"/> is the paper's Section 4.3
/// (rotation within ±30°, horizontal and vertical flips); <see cref="Table12"/> is its ablation of Section 5.3.1
/// (rotation, contrast clipping, Gaussian noise, random crop). The paper gives no strengths for the ablation ones;
/// the defaults below are ours and are recorded with every run.
/// </summary>
public sealed record AugmentationSettings(
    bool Rotate = false,
    double MaxRotationDegrees = 30,
    bool HorizontalFlip = false,
    bool VerticalFlip = false,
    double FlipProbability = 0.5,
    bool ContrastClip = false,
    double MaxClipFraction = 0.1,
    bool GaussianNoise = false,
    double NoiseStd = 0.05,
    bool RandomCrop = false,
    double MinCropScale = 0.8)
{
    public static AugmentationSettings None { get; } = new();
    public static AugmentationSettings Paper { get; } = new(Rotate: true, HorizontalFlip: true, VerticalFlip: true);
    public static AugmentationSettings Table12 { get; } = new(Rotate: true, ContrastClip: true, GaussianNoise: true, RandomCrop: true);

    public static IReadOnlyList<string> OperationNames { get; } = ["rotate", "hflip", "vflip", "clip", "noise", "crop"];

    public bool IsIdentity => !Rotate && !HorizontalFlip && !VerticalFlip && !ContrastClip && !GaussianNoise && !RandomCrop;

    /// <summary>
    /// Parses a preset name (none, paper, table12) or a comma list of operations ("rotate,hflip,vflip,clip,noise,crop").
    /// </summary>
    public static AugmentationSettings Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        switch (trimmed)
        {
            case "" or "none": return None;
            case "paper": return Paper;
            case "table12": return Table12;
        }
        var settings = None;
        foreach (var part in trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            settings = part switch
            {
                "rotate" => settings with { Rotate = true },
                "hflip" => settings with { HorizontalFlip = true },
                "vflip" => settings with { VerticalFlip = true },
                "clip" => settings with { ContrastClip = true },
                "noise" => settings with { GaussianNoise = true },
                "crop" => settings with { RandomCrop = true },
                _ => throw new InputError($"Unknown augmentation '{part}' in '{text}'. Use a preset (none, paper, table12) " +
                    $"or a comma list of: {string.Join(", ", OperationNames)}."),
            };
        }
        settings.Validate();
        return settings;
    }

    /// <summary>The comma list that <see cref="Parse"/> turns back into these operations ("none" if none).</summary>
    public string Describe()
    {
        var names = new List<string>();
        if (Rotate) names.Add("rotate");
        if (HorizontalFlip) names.Add("hflip");
        if (VerticalFlip) names.Add("vflip");
        if (ContrastClip) names.Add("clip");
        if (GaussianNoise) names.Add("noise");
        if (RandomCrop) names.Add("crop");
        return names.Count == 0 ? "none" : string.Join(",", names);
    }

    public void Validate()
    {
        if (MaxRotationDegrees < 0 || MaxRotationDegrees > 180) throw new InputError($"Rotation range {MaxRotationDegrees}° must be within 0..180.");
        if (FlipProbability < 0 || FlipProbability > 1) throw new InputError($"Flip probability {FlipProbability} must be within 0..1.");
        if (MaxClipFraction < 0 || MaxClipFraction >= 0.5) throw new InputError($"Clip fraction {MaxClipFraction} must be within 0..0.5.");
        if (NoiseStd < 0) throw new InputError($"Noise σ {NoiseStd} must not be negative.");
        if (MinCropScale <= 0 || MinCropScale > 1) throw new InputError($"Minimum crop scale {MinCropScale} must be within (0, 1].");
    }
}
