namespace SonoSynth.Tests;

/// <summary>
/// A fresh folder under the system temp directory, deleted on dispose. Like every helper in Support/, it lives in the
/// root test namespace, so tests in any folder use it without a using.
/// </summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sonosynth-tests-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A path inside the folder ("a/b.png" or "a", "b.png"); nothing is created.</summary>
    public string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
