namespace SonoSynth.Inference;

/// <summary>How several models' outputs combine: majority of predicted classes (the paper's 5.2.4) or mean probability.</summary>
public enum EnsembleVote
{
    Majority,
    Soft,
}

public static class EnsembleVotes
{
    public static EnsembleVote Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "majority" or "hard" => EnsembleVote.Majority,
        "soft" or "mean" => EnsembleVote.Soft,
        _ => throw new InputError($"--vote '{text}': choose majority or soft."),
    };
}
