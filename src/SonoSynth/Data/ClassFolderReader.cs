using SonoSynth.Imaging;

namespace SonoSynth.Data;

/// <summary>
/// Lists a folder with one sub-folder per class. When every sub-folder names one of the six planes
/// ("Fetal brain", "fetal_brain", any case) and all six are there, classes follow <see cref="PlaneClasses"/> order,
/// so models trained on FETAL_PLANES_DB and on class folders agree on class indices; otherwise classes are the
/// folder names in ordinal order.
/// </summary>
public static class ClassFolderReader
{
    public static SourceListing List(string root)
    {
        var folders = Directory.GetDirectories(root)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
            throw new InputError($"'{root}' holds neither {FetalPlanesCsv.FileName} nor class sub-folders. Pass a FETAL_PLANES_DB folder " +
                "or a folder with one sub-folder of images per class.");
        if (folders.Length == 1)
            throw new InputError($"'{root}' has only one class folder ('{Path.GetFileName(folders[0])}'); a classifier needs at least two. " +
                "Add a sub-folder per class.");

        var planeIndices = folders.Select(f => MatchPlane(Path.GetFileName(f))).ToArray();
        bool planeLayout = planeIndices.All(i => i >= 0) && planeIndices.Distinct().Count() == PlaneClasses.Count
            && folders.Length == PlaneClasses.Count;
        IReadOnlyList<string> classNames = planeLayout ? PlaneClasses.Names : folders.Select(Path.GetFileName).ToArray()!;

        var images = new List<SourceImage>();
        for (int f = 0; f < folders.Length; f++)
        {
            int label = planeLayout ? planeIndices[f] : f;
            var files = Directory.EnumerateFiles(folders[f], "*", SearchOption.AllDirectories)
                .Where(ImageFormats.IsImage)
                .Where(p => !Path.GetRelativePath(folders[f], p).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
                .OrderBy(p => p, StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
                throw new InputError($"Class folder '{folders[f]}' holds no images ({string.Join(", ", ImageFormats.Extensions)}). " +
                    "Add images of that class or remove the empty folder.");
            foreach (var file in files)
            {
                var id = Path.GetRelativePath(root, file).Replace('\\', '/');
                images.Add(new SourceImage(id, file, label, images.Count + 1, false, $"class folder '{Path.GetFileName(folders[f])}'"));
            }
        }
        return new SourceListing(Path.GetFullPath(root), DatasetLayout.ClassFolders, classNames, images,
            hasPatientIds: false, hasOfficialSplit: false);
    }

    /// <summary>Index of the plane a folder name spells ("Fetal brain", "fetal_brain", "FETAL-BRAIN"), or -1.</summary>
    public static int MatchPlane(string folderName)
    {
        var normalized = folderName.Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' ');
        for (int i = 0; i < PlaneClasses.Count; i++)
            if (PlaneClasses.Names[i].ToLowerInvariant() == normalized) return i;
        return -1;
    }
}
