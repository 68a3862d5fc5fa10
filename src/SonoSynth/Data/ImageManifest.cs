using System.Text;
using SonoSynth.IO;

namespace SonoSynth.Data;

/// <summary>
/// The one reader and writer of image manifests: the diffusion generator's <c>manifest.csv</c> (<see cref="Columns"/>)
/// and the curation filter's <c>good.csv</c>/<c>bad.csv</c> (the same columns + score). Paths are relative to the
/// CSV's folder; fields are RFC 4180 (<see cref="Csv"/>); header names are matched in any case and other columns are
/// kept by name for whoever needs them.
/// </summary>
public static class ImageManifest
{
    public const string FileName = "manifest.csv";

    /// <summary>The generator's columns, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["path", "label", "round", "seed", "sampler", "steps", "guidance"];

    /// <summary>The header line of <see cref="Columns"/>.</summary>
    public static string Header { get; } = Csv.Join(Columns);

    /// <summary>One row; <see cref="Field"/> gives "" for a column the file does not have.</summary>
    public sealed record Row(int Line, IReadOnlyDictionary<string, string> Fields)
    {
        public string Path => Field("path");
        public string Label => Field("label");
        public string Field(string column) => Fields.TryGetValue(column, out var value) ? value : "";
    }

    /// <summary>One line of a manifest (no line break), fields quoted where they must be.</summary>
    public static string FormatRow(IEnumerable<string> fields) => Csv.Join(fields);

    public static bool LooksLikeManifest(string csvPath)
    {
        if (!File.Exists(csvPath)) return false;
        using var reader = new StreamReader(csvPath);
        var header = HeaderOf(reader.ReadLine() ?? "");
        return header.Contains("path") && header.Contains("label");
    }

    /// <summary>
    /// The rows of a manifest, in file order, blank lines skipped. Every row must have a path (and a label when
    /// <paramref name="requireLabel"/>); errors name the file and line.
    /// </summary>
    public static IReadOnlyList<Row> ReadRows(string csvPath, bool requireLabel = true)
    {
        if (!File.Exists(csvPath)) throw new InputError($"Manifest '{csvPath}' does not exist. Pass a manifest.csv written by 'diffusion sample' or 'curate filter'.");
        var lines = File.ReadAllLines(csvPath);
        if (lines.Length == 0) throw new InputError($"Manifest '{csvPath}' is empty. Expected a header '{Header}' and one row per image.");
        var header = HeaderOf(lines[0]);
        if (!header.Contains("path") || (requireLabel && !header.Contains("label")))
            throw new InputError($"Manifest '{csvPath}' line 1: the header needs 'path'{(requireLabel ? " and 'label' columns" : " column")} " +
                $"(the generator writes {Header}); found '{lines[0]}'.");
        var required = requireLabel ? new[] { "path", "label" } : ["path"];
        var rows = new List<Row>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var fields = Csv.Split(lines[i]) ?? throw new InputError($"Manifest '{csvPath}' line {i + 1}: unclosed quote. Fix or delete the line.");
            var row = new Row(i + 1, header.Zip(fields).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.First().Second.Trim()));
            if (required.Any(column => row.Field(column) == ""))
                throw new InputError($"Manifest '{csvPath}' line {i + 1}: empty or missing {string.Join(" or ", required)} " +
                    $"({fields.Count} fields, the header has {header.Count}). Fix or delete the line.");
            rows.Add(row);
        }
        if (rows.Count == 0) throw new InputError($"Manifest '{csvPath}' lists no images.");
        return rows;
    }

    /// <summary>
    /// Readies the generator's manifest for appending and returns the paths it lists: writes the header when the file
    /// is missing; drops a torn last row (a kill mid-append leaves it without a line break) and rows whose image
    /// <paramref name="imageExists"/> denies, rewriting the file only then.
    /// </summary>
    public static HashSet<string> ResumeAppending(string csvPath, Func<string, bool> imageExists)
    {
        if (!File.Exists(csvPath))
        {
            AtomicFile.WriteAllText(csvPath, Header + "\n");
            return [];
        }
        var lines = File.ReadAllText(csvPath).Split('\n');
        if (lines[0].Trim() != Header)
            throw new InputError($"'{csvPath}' is not a SonoSynth generation manifest (first line should be '{Header}'). " +
                "Choose another --out folder.");
        // Everything after the last '\n' is a torn row (or empty).
        var complete = lines[1..^1].Where(l => l.Length > 0).Where(l => PathOf(l) is { } path && imageExists(path)).ToList();
        if (lines[^1].Length > 0 || complete.Count != lines.Length - 2)
            AtomicFile.WriteAllText(csvPath, string.Join("", complete.Prepend(Header).Select(l => l + "\n")));
        return complete.Select(l => PathOf(l)!).ToHashSet();
    }

    /// <summary>Appends whole rows (each ending in a line break) and flushes them to disk, after their images are written.</summary>
    public static void AppendRows(string csvPath, string rows)
    {
        using var stream = new FileStream(csvPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Encoding.UTF8.GetBytes(rows));
        stream.Flush(flushToDisk: true);
    }

    private static string? PathOf(string line) => Csv.Split(line) is [var path, ..] ? path : null;

    /// <summary>Lists the images of a manifest; labels that are plane names keep the six-class order of Table 1.</summary>
    public static SourceListing Read(string csvPath)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var fileName = Path.GetFileName(csvPath);
        var rows = ReadRows(csvPath);
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

    private static List<string> HeaderOf(string line) =>
        (Csv.Split(line) ?? []).Select(c => c.Trim().ToLowerInvariant()).ToList();
}
