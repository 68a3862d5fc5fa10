namespace SonoSynth.Training;

/// <summary>The paper's training regimes (Sections 4.4–4.5, Tables 5–9).</summary>
public enum TrainingRegime
{
    /// <summary>Train on the real training split only (the baseline).</summary>
    RealOnly,
    /// <summary>Train on synthetic images only; test on real images.</summary>
    SyntheticOnly,
    /// <summary>Pretrain on synthetic images, then fine-tune every layer on real images (the paper's method).</summary>
    PretrainFinetune,
    /// <summary>Train once on synthetic and real images together.</summary>
    Mixed,
    /// <summary>Pretrain on synthetic images, then train only the classification head on real images.</summary>
    PretrainLastLayer,
}

public static class TrainingRegimes
{
    /// <summary>CLI spellings, in enum order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["real-only", "synthetic-only", "pretrain-finetune", "mixed", "pretrain-lastlayer"];

    public static string Name(this TrainingRegime regime) => Names[(int)regime];

    public static TrainingRegime Parse(string name)
    {
        int index = Names.ToList().IndexOf(name.Trim().ToLowerInvariant());
        return index >= 0 ? (TrainingRegime)index : throw new ArgumentException(
            $"Unknown regime '{name}'. Choose one of: {string.Join(", ", Names)}.");
    }

    public static bool NeedsSynthetic(this TrainingRegime regime) => regime != TrainingRegime.RealOnly;
}
