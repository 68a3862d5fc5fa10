using SonoSynth.Imaging;

namespace SonoSynth.Inference;

/// <summary>Expands the command line's IMAGE|FOLDER arguments into image files (folders recursively, PNG/JPEG, sorted).</summary>
public static class ImageFiles
{
    /// <summary>
    /// Files are kept whatever their extension (the user named them); folders contribute their PNG/JPEG files in
    /// ordinal path order, so the output order does not depend on the file system.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var found = Directory.EnumerateFiles(argument, "*", SearchOption.AllDirectories).Where(ImageFormats.IsImage)
                    .OrderBy(p => p, StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    throw new InputError($"Folder '{argument}' holds no PNG or JPEG files (searched recursively). Pass a folder of scans or image files.");
                files.AddRange(found);
            }
            else if (File.Exists(argument)) files.Add(argument);
            else throw new InputError($"'{argument}' is neither a file nor a folder. Check the path.");
        }
        return files;
    }
}
