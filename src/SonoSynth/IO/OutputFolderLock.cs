namespace SonoSynth.IO;

/// <summary>
/// An exclusive lock on an output folder, so a second run pointed at the same folder is refused instead of
/// corrupting the first. The OS releases the lock when the process dies, so a kill -9 never leaves it stuck.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    private readonly FileStream stream;

    private OutputFolderLock(FileStream stream, string folder) { this.stream = stream; Folder = folder; }

    public string Folder { get; }

    public static OutputFolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ".sonosynth.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var owner = System.Text.Encoding.UTF8.GetBytes($"pid {Environment.ProcessId} since {DateTime.UtcNow:O}\n");
            stream.Write(owner);
            stream.Flush();
            return new OutputFolderLock(stream, folder);
        }
        catch (IOException e)
        {
            throw new IOException($"Another SonoSynth run is using '{folder}' (lock file '{path}'). " +
                "Wait for it to finish, or choose another output folder.", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"Cannot write to '{folder}'. Check its permissions or choose another output folder.", e);
        }
    }

    public void Dispose() => stream.Dispose();
}
