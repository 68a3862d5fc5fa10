namespace SonoSynth.Data;

/// <summary>How images are divided into training and test sets.</summary>
public enum SplitKind
{
    /// <summary>Seeded, stratified per class, 80/20 of images (the paper's Table 1). Patients leak across sides.</summary>
    Random,
    /// <summary>Seeded, grouped by patient, about 80/20 of images: no patient on both sides.</summary>
    Patient,
    /// <summary>The CSV's Train column (FETAL_PLANES_DB's own, patient-disjoint split).</summary>
    Official,
}

public static class SplitKinds
{
    public static SplitKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "random" => SplitKind.Random,
        "patient" => SplitKind.Patient,
        "official" => SplitKind.Official,
        _ => throw new InputError($"Unknown split '{text}'. Choose one of: random, patient, official."),
    };

    public static string Name(this SplitKind kind) => kind.ToString().ToLowerInvariant();
}
