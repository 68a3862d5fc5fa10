namespace SonoSynth.IO;

/// <summary>
/// An exclusive lock on an output folder, so a second run pointed at the same folder is refused instead of
/// corrupting the first. The OS releases the lock when the process dies, so a kill -9 never leaves it stuck.
/// Taking the lock is also the first write into the folder, so an unwritable folder is reported here, before any work.
/// </summary>
public sealed class OutputFolderLock : IDisposable
{
    public const string FileName = ".sonosynth.lock";

    private readonly FileStream stream;

    private OutputFolderLock(FileStream stream, string folder) { this.stream = stream; Folder = folder; }

    public string Folder { get; }

    public static OutputFolderLock Acquire(string folder)
    {
        var path = Path.Combine(folder, FileName);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(folder);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (IsHeldByAnotherProcess(e))
        {
            throw new IOException($"Another SonoSynth run is using '{folder}' (lock file '{path}'). " +
                "Wait for it to finish, or choose another output folder.", e);
        }
        catch (Exception e) when (DiskFullException.IsRaw(e))
        {
            throw new DiskFullException(folder, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write to the output folder '{folder}' ({e.Message}). " +
                "Check that it is writable (permissions, a read-only mount) or choose another output folder.", e);
        }
        WriteOwner(stream);
        return new OutputFolderLock(stream, folder);
    }

    /// <summary>Notes who holds the lock, for people who look; the lock itself is the open handle, so a full disk here is harmless.</summary>
    private static void WriteOwner(FileStream stream)
    {
        try
        {
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"pid {Environment.ProcessId} since {DateTime.UtcNow:O}\n"));
            stream.Flush();
        }
        catch (IOException) { }
    }

    // .NET takes FileShare.None on Unix with flock(LOCK_EX | LOCK_NB), which fails with EWOULDBLOCK (11) when held;
    // Windows reports a sharing violation.
    private static bool IsHeldByAnotherProcess(IOException e) =>
        e.HResult is 11 or unchecked((int)0x80070020) || e.Message.Contains("being used by another process", StringComparison.Ordinal);

    public void Dispose() => stream.Dispose();
}
