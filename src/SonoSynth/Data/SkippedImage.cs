namespace SonoSynth.Data;

/// <summary>An image left out under --skip-bad: its file, where it was listed, and why it could not be used.</summary>
public sealed record SkippedImage(string FilePath, string Origin, string Reason);
