using System.Security.Cryptography;
using System.Text;

namespace SonoSynth.Data;

/// <summary>
/// A cheap identity of a source data set: file count plus a SHA-256 over every file's relative path, size and
/// modification time (and the CSV's). A prepared cache whose fingerprint differs is stale and is rebuilt.
/// Reading sizes and times costs one stat per file, far less than decoding.
/// </summary>
public sealed record SourceFingerprint(int FileCount, string Sha256)
{
    public static SourceFingerprint Compute(SourceListing listing)
    {
        var text = new StringBuilder();
        if (listing.MetadataFile is not null)
            Append(text, listing.Root, listing.MetadataFile);
        foreach (var image in listing.Images)
            Append(text, listing.Root, image.FilePath);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return new SourceFingerprint(listing.Images.Count, Convert.ToHexStringLower(hash));
    }

    private static void Append(StringBuilder text, string root, string path)
    {
        var file = new FileInfo(path);
        text.Append(Path.GetRelativePath(root, path)).Append('|');
        if (file.Exists) text.Append(file.Length).Append('|').Append(file.LastWriteTimeUtc.Ticks);
        else text.Append("missing");
        text.Append('\n');
    }
}
