using System.IO.Compression;
using System.Security.Cryptography;

namespace SonoSynth.Tests.Data;

/// <summary>
/// The real FETAL_PLANES_DB_data.csv, from the project's fixture (Data/Fixtures, gzip-compressed, CC BY 4.0; see the
/// README there), decompressed once per test run into a temporary folder.
/// </summary>
internal static class RealMetadata
{
    public const string PublishedMd5 = "999b8cb896575d50265b492b5e70ff1f";

    private static readonly Lazy<string> Decompressed = new(() =>
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "FETAL_PLANES_DB_data.csv.gz");
        if (!File.Exists(fixture))
            throw new FileNotFoundException($"The fixture '{fixture}' is missing from the test build; it is copied there from " +
                "tests/SonoSynth.Tests/Data/Fixtures by SonoSynth.Tests.csproj.");
        var folder = Directory.CreateTempSubdirectory("sonosynth-metadata-").FullName;
        var csv = Path.Combine(folder, "FETAL_PLANES_DB_data.csv");
        using (var source = new GZipStream(File.OpenRead(fixture), CompressionMode.Decompress))
        using (var target = File.Create(csv))
            source.CopyTo(target);
        // The folder goes with the test process; a leftover of a few hundred KB in /tmp is harmless.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, true); } catch (IOException) { } };
        return csv;
    });

    /// <summary>The path of the decompressed CSV (a folder of its own, with no Images/ beside it).</summary>
    public static string CsvPath() => Decompressed.Value;

    public static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }
}
