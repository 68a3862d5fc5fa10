namespace SonoSynth.Tests;

/// <summary>Files of this checkout (configs/, scripts/): the folder above the test binaries that holds SonoSynth.sln.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "SonoSynth.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds SonoSynth.sln; run the tests from a checkout.");
    });

    public static string Root => RootFolder.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
