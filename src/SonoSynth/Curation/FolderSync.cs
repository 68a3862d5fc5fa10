using System.Runtime.InteropServices;

namespace SonoSynth.Curation;

/// <summary>fsync on a folder (POSIX), so a newly created file's directory entry is on disk, not only its bytes.</summary>
internal static partial class FolderSync
{
    private const int ReadOnly = 0; // O_RDONLY opens a folder too (O_DIRECTORY's value differs per CPU)

    public static void Flush(string folder)
    {
        if (!OperatingSystem.IsLinux()) return; // Windows persists directory entries with the file (NTFS journal)
        int descriptor = Open(folder, ReadOnly);
        if (descriptor < 0) return; // best effort: the file itself is still synced on every write
        try { Fsync(descriptor); }
        finally { Close(descriptor); }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
