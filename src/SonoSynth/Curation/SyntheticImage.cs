namespace SonoSynth.Curation;

/// <summary>
/// One synthetic image to curate. <see cref="Id"/> is its path relative to the image folder with '/' separators
/// (stable across machines, so labels follow the image). The generation fields come from the generator's
/// manifest and are empty when the folder was scanned instead.
/// </summary>
public sealed record SyntheticImage(string Id, string FullPath, string ClassName,
    string Round = "", string Seed = "", string Sampler = "", string Steps = "", string Guidance = "");
