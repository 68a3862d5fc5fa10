namespace SonoSynth.Diffusion.Generation;

/// <summary>
/// What to generate: <see cref="ImagesPerClass"/> images for each class in each of <see cref="Rounds"/> rounds
/// (the paper: 2 rounds × 6 classes × 5000). <see cref="Classes"/> restricts to some class indices (null = all).
/// </summary>
public sealed record BulkGenerationPlan(IReadOnlyList<string> ClassNames, int ImagesPerClass, int Rounds = 1, long Seed = 0,
    IReadOnlyList<int>? Classes = null)
{
    public void Validate()
    {
        if (ClassNames.Count == 0) throw new ArgumentException("No class names to generate for.");
        if (ImagesPerClass < 1) throw new ArgumentException($"--per-class must be at least 1; got {ImagesPerClass}.");
        if (Rounds < 1) throw new ArgumentException($"--rounds must be at least 1; got {Rounds}.");
        foreach (var c in Classes ?? [])
            if (c < 0 || c >= ClassNames.Count)
                throw new ArgumentException($"Class index {c} is outside 0..{ClassNames.Count - 1} ({string.Join(", ", ClassNames)}).");
    }

    /// <summary>File-system name of a class: lower case, runs of other characters → "_" ("Fetal abdomen" → "fetal_abdomen").</summary>
    public static string Slug(string className)
    {
        var chars = className.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var slug = System.Text.RegularExpressions.Regex.Replace(new string(chars), "_+", "_").Trim('_');
        return slug.Length == 0 ? "class" : slug;
    }
}
