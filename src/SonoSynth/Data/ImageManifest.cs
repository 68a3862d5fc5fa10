namespace SonoSynth.Data;

/// <summary>
/// A CSV that lists images with their class: the diffusion generator's <c>manifest.csv</c>
/// (path,label,round,seed,sampler,steps,guidance) and the curation filter's <c>good.csv</c>/<c>bad.csv</c>
/// (same columns + score). Paths are relative to the CSV's folder. Other columns are ignored.
/// </summary>
public static class ImageManifest
{
    public const string FileName = "manifest.csv";

    public static bool LooksLikeManifest(string csvPath)
    {
        if (!File.Exists(csvPath)) return false;
        using var reader = new StreamReader(csvPath);
        var header = reader.ReadLine()?.Split(',').Select(c => c.Trim()).ToArray() ?? [];
        return header.Contains("path") && header.Contains("label");
    }

    /// <summary>Lists the images of a manifest; labels that are plane names keep the six-class order of Table 1.</summary>
    public static SourceListing Read(string csvPath)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var fileName = Path.GetFileName(csvPath);
        var lines = File.ReadAllLines(csvPath);
        if (lines.Length == 0) throw new InputError($"{csvPath} is empty. Expected a header 'path,label,...' and one row per image.");
        var header = lines[0].Split(',').Select(c => c.Trim()).ToArray();
        int pathColumn = Array.IndexOf(header, "path"), labelColumn = Array.IndexOf(header, "label");
        if (pathColumn < 0 || labelColumn < 0)
            throw new InputError($"{csvPath} line 1: the header must have 'path' and 'label' columns (got '{lines[0]}').");
        var rows = new List<(string Path, string Label, int Line)>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "") continue;
            var fields = lines[i].Split(',');
            if (fields.Length < header.Length)
                throw new InputError($"{csvPath} line {i + 1}: {fields.Length} fields, the header has {header.Length}. Fix or delete the line.");
            rows.Add((fields[pathColumn].Trim(), fields[labelColumn].Trim(), i + 1));
        }
        if (rows.Count == 0) throw new InputError($"{csvPath} lists no images.");
        var distinct = rows.Select(r => r.Label).Distinct().ToList();
        IReadOnlyList<string> classNames = distinct.All(l => PlaneClasses.IndexOf(l) >= 0)
            ? PlaneClasses.Names : distinct.Order(StringComparer.Ordinal).ToArray();
        var images = rows.Select((r, index) => new SourceImage(r.Path.Replace('\\', '/'), Path.Combine(root, r.Path),
            classNames.ToList().IndexOf(r.Label), index, false, $"{fileName} line {r.Line}")).ToArray();
        return new SourceListing(root, DatasetLayout.ImageManifest, classNames, images, hasPatientIds: false, hasOfficialSplit: false)
        {
            MetadataFile = Path.GetFullPath(csvPath),
        };
    }
}
