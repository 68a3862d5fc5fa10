namespace SonoSynth.Curation;

/// <summary>A curator's judgement of one synthetic image (the paper's "good" / "bad" images, Section 4.2).</summary>
public enum CurationVerdict
{
    Good,
    Bad,
    /// <summary>Looked at, not judged (unsure); counts as handled but is left out of classifier training.</summary>
    Skip,
}

public static class CurationVerdicts
{
    /// <summary>The word stored in the journal and sent by the page: "good", "bad", "skip".</summary>
    public static string ToWord(this CurationVerdict verdict) => verdict switch
    {
        CurationVerdict.Good => "good",
        CurationVerdict.Bad => "bad",
        CurationVerdict.Skip => "skip",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };

    public static bool TryParse(string? word, out CurationVerdict verdict)
    {
        switch (word?.Trim().ToLowerInvariant())
        {
            case "good": verdict = CurationVerdict.Good; return true;
            case "bad": verdict = CurationVerdict.Bad; return true;
            case "skip": verdict = CurationVerdict.Skip; return true;
            default: verdict = default; return false;
        }
    }
}
