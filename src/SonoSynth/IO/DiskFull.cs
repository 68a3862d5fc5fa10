namespace SonoSynth.IO;

/// <summary>Recognises "no space left on device" (ENOSPC on Linux and macOS, ERROR_DISK_FULL/HANDLE_DISK_FULL on Windows).</summary>
public static class DiskFull
{
    public static bool Is(Exception e) => e is IOException io && (io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) ||
        io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));

    /// <summary>What to tell the user: which disk, and that a rerun continues where this one stopped.</summary>
    public static string Explain(string? where = null) =>
        (where is null ? "The disk is full." : $"The disk holding '{where}' is full.") + " Files already written are intact. Free some space and run the same command " +
        "again: sampling and experiments continue where they stopped, training continues with --resume.";
}
