namespace SonoSynth.Tests.Data;

/// <summary>Finds the real FETAL_PLANES_DB_data.csv: shared/data/ in this folder or any folder above the test binaries.</summary>
internal static class RealMetadata
{
    public static string CsvPath()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "shared", "data", "FETAL_PLANES_DB_data.csv");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("shared/data/FETAL_PLANES_DB_data.csv was not found in any folder above " +
            $"{AppContext.BaseDirectory}. Place a copy of shared/ beside the repository clone.");
    }
}
