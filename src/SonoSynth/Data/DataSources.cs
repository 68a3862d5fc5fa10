using System.Security.Cryptography;
using System.Text;
using SonoSynth.Runtime;

namespace SonoSynth.Data;

/// <summary>The one way to open image data: a prepared cache, a FETAL_PLANES_DB folder or a class-folder tree.</summary>
public static class DataSources
{
    public const string CacheFolderName = ".sonosynth-cache";

    /// <summary>
    /// Opens <paramref name="path"/>: a prepared cache folder is loaded as it is; a FETAL_PLANES_DB folder (CSV + Images/)
    /// or a class-folder tree is decoded into (or reused from) <c>&lt;path&gt;/.sonosynth-cache/&lt;size&gt;</c>, or a
    /// per-user cache when the data folder is read-only.
    /// </summary>
    public static PreparedDataset Open(string path, int imageSize = 128, bool skipBad = false, IProgress<ProgressUpdate>? progress = null)
    {
        if (Directory.Exists(path) && PreparedDataset.IsCacheFolder(path))
            return PreparedDataset.Load(path);
        var listing = SourceListing.Open(path);
        var cacheFolder = CacheFolderFor(listing.Root, imageSize);
        // Several manifests can share a folder (good.csv and bad.csv): each gets its own cache.
        if (listing.Layout == DatasetLayout.ImageManifest && Path.GetFileName(listing.MetadataFile) != ImageManifest.FileName)
            cacheFolder += "-" + Path.GetFileNameWithoutExtension(listing.MetadataFile);
        return PreparedDataset.OpenOrBuild(listing, cacheFolder, imageSize, skipBad, progress);
    }

    /// <summary>Where the cache of a source folder lives: inside it if writable, else under the user's cache directory.</summary>
    public static string CacheFolderFor(string sourceRoot, int imageSize)
    {
        var inside = Path.Combine(sourceRoot, CacheFolderName, imageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (IsWritable(inside)) return inside;
        var userCache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(sourceRoot))))[..16];
        return Path.Combine(userCache, "sonosynth", key, imageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static bool IsWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
