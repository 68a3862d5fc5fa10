using System.Globalization;
using SonoSynth.Data;
using SonoSynth.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

/// <summary>
/// Image files on disk: a folder searched recursively (the class of an image is its first sub-folder, e.g.
/// synthetic/fetal_brain/0001.png), or a manifest CSV with columns path,label (paths relative to the CSV).
/// Files are decoded under <see cref="Policy"/> (<see cref="DecodePolicy.NativeGray"/> unless the caller names one).
/// </summary>
public sealed class ImageFileSource : IImageSource
{
    private readonly IReadOnlyList<(string Path, string Id, string? Class)> files;

    private ImageFileSource(IReadOnlyList<(string Path, string Id, string? Class)> files, string description,
        DecodePolicy policy)
    {
        this.files = files;
        Policy = policy;
        Description = $"{description}, {policy.Description}";
    }

    public DecodePolicy Policy { get; }
    public string Description { get; }
    public int Count => files.Count;
    public string IdAt(int index) => files[index].Id;
    public string? ClassAt(int index) => files[index].Class;
    public string PathAt(int index) => files[index].Path;

    /// <summary>All PNG/JPEG files under <paramref name="root"/>, in ordinal path order.</summary>
    public static ImageFileSource FromFolder(string root, DecodePolicy? policy = null)
    {
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"No such folder: '{root}'.");
        var paths = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(ImageFormats.IsImage).OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
            throw new InputError($"No PNG or JPEG images in '{root}' (searched sub-folders too).");
        var entries = paths.Select(p =>
        {
            var relative = Path.GetRelativePath(root, p);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            return (p, relative, parts.Length > 1 ? PlaneClasses.Slug(parts[0]) : (string?)null);
        }).ToList();
        return new ImageFileSource(entries, $"folder '{root}'", policy ?? DecodePolicy.NativeGray);
    }

    /// <summary>True when the folder holds at least one PNG/JPEG (at any depth).</summary>
    public static bool FolderHasImages(string root) =>
        Directory.Exists(root) && Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Any(ImageFormats.IsImage);

    /// <summary>An image manifest (<see cref="ImageManifest"/>; label = class name or slug, optional here).</summary>
    public static ImageFileSource FromManifest(string csvPath, DecodePolicy? policy = null)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"No such manifest: '{csvPath}'.", csvPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var entries = new List<(string, string, string?)>();
        foreach (var row in ImageManifest.ReadRows(csvPath, requireLabel: false))
        {
            var path = Path.IsPathRooted(row.Path) ? row.Path : Path.Combine(folder, row.Path);
            if (!File.Exists(path))
                throw new InputError($"Manifest '{csvPath}' line {row.Line}: image '{row.Path}' does not exist (paths are relative to the CSV).");
            entries.Add((path, row.Path, row.Fields.ContainsKey("label") ? PlaneClasses.Slug(row.Label) : null));
        }
        if (entries.Count == 0) throw new InputError($"Manifest '{csvPath}' lists no images.");
        return new ImageFileSource(entries, $"manifest '{csvPath}'", policy ?? DecodePolicy.NativeGray);
    }

    public Tensor LoadBatch(IReadOnlyList<int> indices, int size)
    {
        using var scope = NewDisposeScope();
        var images = new List<Tensor>(indices.Count);
        foreach (var index in indices)
        {
            var image = ImageDecoder.Load(files[index].Path, Policy);
            // One bilinear resize per image (align_corners=False), as pytorch-fid's InceptionV3 resizes its batch.
            images.Add(ImageResize.ToSquare(image.unsqueeze(0), size));
        }
        return cat(images, 0).MoveToOuterDisposeScope();
    }

    public override string ToString() => Description + " (" + Count.ToString(CultureInfo.InvariantCulture) + " images)";
}
