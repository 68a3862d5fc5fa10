using SonoSynth.Data;

namespace SonoSynth.Curation;

/// <summary>
/// The synthetic images in a folder written by the diffusion generator: <c>DIR/round&lt;r&gt;/&lt;class_slug&gt;/&lt;id&gt;.png</c>
/// listed in <c>DIR/manifest.csv</c> (<see cref="ImageManifest"/>; path relative to DIR, label = class name).
/// Without a manifest, every PNG under DIR is taken, its class being its parent folder's name.
/// </summary>
public sealed class SyntheticImageSet
{
    private readonly Dictionary<string, int> positionById;

    private SyntheticImageSet(string folder, IReadOnlyList<SyntheticImage> images, bool fromManifest)
    {
        Folder = folder;
        Images = images;
        FromManifest = fromManifest;
        positionById = images.Select((image, position) => (image.Id, position))
            .ToDictionary(p => p.Id, p => p.position, StringComparer.Ordinal);
    }

    public string Folder { get; }
    /// <summary>In manifest order (or sorted by path when scanned): the order the curation page shows them.</summary>
    public IReadOnlyList<SyntheticImage> Images { get; }
    public bool FromManifest { get; }
    public int Count => Images.Count;

    public SyntheticImage? Find(string id) => positionById.TryGetValue(id, out var position) ? Images[position] : null;

    /// <summary>Position of an image in <see cref="Images"/>, or -1 when the id is not in this set.</summary>
    public int IndexOf(string id) => positionById.TryGetValue(id, out var position) ? position : -1;

    public static SyntheticImageSet Load(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new InputError($"Image folder '{folder}' does not exist. Pass the folder the generator wrote (it holds manifest.csv).");
        var manifest = Path.Combine(full, ImageManifest.FileName);
        var images = File.Exists(manifest) ? ReadManifest(full, manifest) : Scan(full);
        if (images.Count == 0)
            throw new InputError($"No PNG images in '{folder}' (and no {ImageManifest.FileName}). " +
                "Pass the folder written by the generator, laid out as round<r>/<class>/<id>.png.");
        return new SyntheticImageSet(full, images, File.Exists(manifest));
    }

    /// <summary>Image id for a file under <paramref name="folder"/>: its relative path with '/' separators.</summary>
    public static string IdOf(string folder, string fullPath) =>
        Path.GetRelativePath(folder, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private static List<SyntheticImage> ReadManifest(string folder, string manifest)
    {
        var images = new List<SyntheticImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in ImageManifest.ReadRows(manifest))
        {
            var fullPath = Path.GetFullPath(Path.Combine(folder, row.Path));
            if (!File.Exists(fullPath))
                throw new InputError($"'{manifest}' line {row.Line}: image '{row.Path}' not found under '{folder}'. " +
                    "Paths are relative to the manifest's folder; regenerate the manifest or restore the image.");
            var id = IdOf(folder, fullPath);
            if (!seen.Add(id))
                throw new InputError($"'{manifest}' line {row.Line}: image '{row.Path}' is listed twice. Remove the duplicate row.");
            images.Add(new SyntheticImage(id, fullPath, row.Label, row.Field("round"), row.Field("seed"),
                row.Field("sampler"), row.Field("steps"), row.Field("guidance")));
        }
        return images;
    }

    private static List<SyntheticImage> Scan(string folder) =>
        Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
            .Where(p => !Path.GetFileName(p).StartsWith('.'))
            .Select(p => new SyntheticImage(IdOf(folder, p), p, ClassFromFolder(folder, p)))
            .OrderBy(i => i.Id, StringComparer.Ordinal)
            .ToList();

    // "fetal_brain" → "Fetal brain" when it is one of the six planes; otherwise the folder name as it is.
    private static string ClassFromFolder(string root, string path)
    {
        var parent = Path.GetDirectoryName(path)!;
        if (Path.GetFullPath(parent) == root) return "";
        var name = Path.GetFileName(parent);
        var plane = PlaneClasses.Names.FirstOrDefault(n => PlaneClasses.Slug(n) == name.ToLowerInvariant());
        return plane ?? name;
    }
}
