namespace SonoSynth.IO;

/// <summary>
/// The disk filled up while writing. The message names the disk (when known) and what to do: files already written
/// are intact, and running the same command again continues where this one stopped.
/// </summary>
public sealed class DiskFullException(string? where, Exception inner, string? before = null)
    : IOException(before + (where is null ? "The disk is full." : $"The disk holding '{where}' is full.") +
        " Files already written are intact. Free some space and run the same command again: sampling and experiments " +
        "continue where they stopped, training continues with --resume.", inner)
{
    /// <summary>The operating system's own "no space left on device" (ENOSPC on Linux and macOS, ERROR_DISK_FULL/HANDLE_DISK_FULL on Windows).</summary>
    public static bool IsRaw(Exception e) => e is IOException io and not DiskFullException &&
        (io.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027) ||
         io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));
}
