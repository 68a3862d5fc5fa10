namespace SonoSynth.Cli.Curation;

/// <summary>
/// What the curation page serves: the synthetic images in <paramref name="ImageFolder"/>, labels kept in
/// <paramref name="LabelFolder"/> attributed to <paramref name="Annotator"/>. Port 0 picks a free port.
/// </summary>
public sealed record CurationServerOptions(string ImageFolder, string LabelFolder, string Annotator, int Port = 0)
{
    /// <summary>Where labels go when no folder is given: beside the images, in "curation/".</summary>
    public static string DefaultLabelFolder(string imageFolder) => Path.Combine(imageFolder, "curation");

    /// <summary>The login name ($USER), so every label says who gave it.</summary>
    public static string DefaultAnnotator() =>
        Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : Environment.UserName;
}
