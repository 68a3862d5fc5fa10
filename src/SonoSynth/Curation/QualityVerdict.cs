namespace SonoSynth.Curation;

/// <summary>A curator's judgement of one synthetic image (the paper's "good" / "bad" images, Section 4.2).</summary>
public enum QualityVerdict
{
    Good,
    Bad,
    /// <summary>Looked at, not judged (unsure); counts as handled but is left out of classifier training.</summary>
    Skip,
}

public static class QualityVerdicts
{
    /// <summary>The word stored in the journal and sent by the page: "good", "bad", "skip".</summary>
    public static string ToWord(this QualityVerdict verdict) => verdict switch
    {
        QualityVerdict.Good => "good",
        QualityVerdict.Bad => "bad",
        QualityVerdict.Skip => "skip",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static bool TryParse(string? word, out QualityVerdict verdict)
    {
        switch (word?.Trim().ToLowerInvariant())
        {
            case "good": verdict = QualityVerdict.Good; return true;
            case "bad": verdict = QualityVerdict.Bad; return true;
            case "skip": verdict = QualityVerdict.Skip; return true;
            default: verdict = default; return false;
        }
    }
}
