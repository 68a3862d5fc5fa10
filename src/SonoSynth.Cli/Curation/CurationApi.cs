using SonoSynth.Curation;

namespace SonoSynth.Cli.Curation;

/// <summary>The JSON the page exchanges with the server (camelCase on the wire).</summary>
public static class CurationApi
{
    public sealed record Progress(int Total, int Labelled, int Good, int Bad, int Skipped, string Annotator);

    public sealed record ImageView(string Id, string ClassName, string Url, int Position, int Total, string? Verdict,
        string Round, string Seed, string Sampler, string Steps, string Guidance);

    /// <summary>The image to show (null when every image is labelled) and the progress.</summary>
    public sealed record NextResponse(ImageView? Image, Progress Progress);

    public sealed record LabelRequest(string? Id, string? Verdict);

    public sealed record LabelResponse(string Id, string Verdict, ImageView? Image, Progress Progress);

    /// <summary>Empty JSON body: a JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.</summary>
    public sealed record UndoRequest;

    /// <summary>The withdrawn label (null when there was nothing to undo) and the image to show next: the undone one.</summary>
    public sealed record UndoResponse(string? UndoneId, string? UndoneVerdict, ImageView? Image, Progress Progress);

    public sealed record ErrorResponse(string Error);

    internal static Progress ProgressOf(SyntheticImageSet images, LabelStore store)
    {
        var current = store.Current;
        int good = 0, bad = 0, skipped = 0;
        foreach (var image in images.Images)
        {
            if (!current.TryGetValue(image.Id, out var record)) continue;
            switch (record.Verdict)
            {
                case CurationVerdict.Good: good++; break;
                case CurationVerdict.Bad: bad++; break;
                default: skipped++; break;
            }
        }
        return new Progress(images.Count, good + bad + skipped, good, bad, skipped, store.Annotator);
    }

    internal static ImageView ViewOf(SyntheticImageSet images, LabelStore store, SyntheticImage image, int position) =>
        new(image.Id, image.ClassName, "/api/image/" + string.Join("/", image.Id.Split('/').Select(Uri.EscapeDataString)),
            position + 1, images.Count, store.VerdictOf(image.Id)?.ToWord(), image.Round, image.Seed, image.Sampler,
            image.Steps, image.Guidance);

    /// <summary>The first image, in set order, with no label in force.</summary>
    internal static ImageView? NextUnlabelled(SyntheticImageSet images, LabelStore store)
    {
        var current = store.Current;
        for (int i = 0; i < images.Count; i++)
            if (!current.ContainsKey(images.Images[i].Id))
                return ViewOf(images, store, images.Images[i], i);
        return null;
    }
}
