namespace SonoSynth.Tests.Training;

internal sealed class TempFolder : IDisposable
{
    public TempFolder() { Directory.CreateDirectory(Path); }
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sonosynth-test-" + Guid.NewGuid().ToString("N"));
    public string Sub(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
