using System.Text;

namespace SonoSynth.Data;

/// <summary>
/// Reads and writes FETAL_PLANES_DB_data.csv exactly as published (Burgos-Artizzu et al. 2020, Zenodo 3904280):
/// ';'-separated, header <c>Image_name;Patient_num;Plane;Brain_plane;Operator;US_Machine;Train </c>.
/// The published file carries a trailing space on the Train header and on every Train value ("1 ").
/// Images live at <c>Images/&lt;Image_name&gt;.png</c> beside the CSV.
/// </summary>
public static class FetalPlanesCsv
{
    public const string FileName = "FETAL_PLANES_DB_data.csv";
    public const string ImagesFolder = "Images";
    public const string ImageExtension = ".png";

    public static IReadOnlyList<string> Columns { get; } =
        ["Image_name", "Patient_num", "Plane", "Brain_plane", "Operator", "US_Machine", "Train"];

    /// <summary>The header line as published, trailing space included.</summary>
    public static string HeaderLine => string.Join(';', Columns) + " ";

    /// <summary>
    /// Parses the whole file. Every problem is an <see cref="InputError"/> naming the file, the line and the fix.
    /// With <paramref name="requireEveryClass"/> a plane with no rows is an error (training needs all six).
    /// </summary>
    public static IReadOnlyList<FetalPlanesRecord> Read(string csvPath, bool requireEveryClass = true)
    {
        if (!File.Exists(csvPath))
            throw new InputError($"'{csvPath}' does not exist. Pass the FETAL_PLANES_DB folder that holds {FileName} and Images/.");
        string[] lines;
        try { lines = File.ReadAllLines(csvPath, Encoding.UTF8); }
        catch (IOException e) { throw new InputError($"Cannot read '{csvPath}': {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new InputError($"Cannot read '{csvPath}': {e.Message} Check its permissions.", e); }
        return Parse(lines, csvPath, requireEveryClass);
    }

    /// <summary>Parses CSV lines; <paramref name="fileLabel"/> is the name used in error messages.</summary>
    public static IReadOnlyList<FetalPlanesRecord> Parse(IReadOnlyList<string> lines, string fileLabel, bool requireEveryClass = true)
    {
        if (lines.Count == 0 || lines[0].Trim().Length == 0)
            throw new InputError($"{fileLabel}: the file is empty. Expected the header '{HeaderLine.TrimEnd()}' and one row per image.");
        CheckHeader(lines[0], fileLabel);
        var records = new List<FetalPlanesRecord>(lines.Count);
        var seenNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 1; i < lines.Count; i++)
        {
            int lineNumber = i + 1;
            var line = lines[i];
            if (line.Trim().Length == 0) continue; // a blank last line is common and harmless
            var fields = line.Split(';');
            if (fields.Length != Columns.Count)
                throw new InputError($"{fileLabel} line {lineNumber}: expected {Columns.Count} ';'-separated fields " +
                    $"({string.Join(";", Columns)}) but found {fields.Length}. Fix or remove this row.");
            var imageName = fields[0].Trim();
            if (imageName.Length == 0)
                throw new InputError($"{fileLabel} line {lineNumber}: Image_name is empty. Fix or remove this row.");
            if (imageName.IndexOfAny(['/', '\\']) >= 0 || imageName.Contains(".."))
                throw new InputError($"{fileLabel} line {lineNumber}: Image_name '{imageName}' must be a plain file name " +
                    $"(the image is looked up as {ImagesFolder}/<Image_name>{ImageExtension}). Fix this row.");
            if (seenNames.TryGetValue(imageName, out var firstLine))
                throw new InputError($"{fileLabel} line {lineNumber}: Image_name '{imageName}' already appeared on line {firstLine}. " +
                    "Remove the duplicate row.");
            seenNames[imageName] = lineNumber;
            if (!int.TryParse(fields[1].Trim(), System.Globalization.NumberStyles.Integer,
                    System.Globalization.CultureInfo.InvariantCulture, out var patient))
                throw new InputError($"{fileLabel} line {lineNumber}: Patient_num '{fields[1]}' is not an integer. " +
                    "Write the patient number as a whole number (e.g. 17).");
            var plane = fields[2].Trim();
            int label = PlaneClasses.IndexOf(plane);
            if (label < 0)
                throw new InputError($"{fileLabel} line {lineNumber}: unknown plane '{fields[2]}'. " +
                    $"The Plane column must be one of: {string.Join(", ", PlaneClasses.Names)} (exact spelling).");
            var train = fields[6].Trim();
            if (train != "0" && train != "1")
                throw new InputError($"{fileLabel} line {lineNumber}: Train '{fields[6]}' must be 1 (official training set) or 0 (test set).");
            records.Add(new FetalPlanesRecord(imageName, patient, plane, label, fields[3].Trim(), fields[4].Trim(),
                fields[5].Trim(), train == "1", lineNumber));
        }
        if (records.Count == 0)
            throw new InputError($"{fileLabel}: the header is there but no image rows follow. Add one row per image.");
        if (requireEveryClass)
        {
            var counts = new int[PlaneClasses.Count];
            foreach (var record in records) counts[record.Label]++;
            var empty = Enumerable.Range(0, counts.Length).Where(c => counts[c] == 0).Select(c => PlaneClasses.Names[c]).ToList();
            if (empty.Count > 0)
                throw new InputError($"{fileLabel}: no rows for class {string.Join(", ", empty.Select(n => $"'{n}'"))}. " +
                    "Every one of the six planes needs at least one image; add rows for it.");
        }
        return records;
    }

    private static void CheckHeader(string header, string fileLabel)
    {
        var names = header.TrimStart('\uFEFF').Split(';').Select(n => n.Trim()).ToArray();
        if (names.SequenceEqual(Columns)) return;
        var missing = Columns.Except(names).ToList();
        var extra = names.Except(Columns).ToList();
        var detail = missing.Count > 0 || extra.Count > 0
            ? $"missing: {(missing.Count > 0 ? string.Join(", ", missing) : "none")}; unexpected: {(extra.Count > 0 ? string.Join(", ", extra) : "none")}"
            : "the columns are in a different order";
        throw new InputError($"{fileLabel} line 1: wrong column set ({detail}). Expected the FETAL_PLANES_DB header " +
            $"'{string.Join(";", Columns)}' (';'-separated). Is this the right file, or was it re-saved with ',' separators?");
    }

    /// <summary>Writes rows in the published format (trailing space after the Train header and values), atomically.</summary>
    public static void Write(string csvPath, IEnumerable<FetalPlanesRecord> records)
    {
        var text = new StringBuilder();
        text.Append(HeaderLine).Append('\n');
        foreach (var r in records)
            text.Append(r.ImageName).Append(';').Append(r.PatientNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(';').Append(r.Plane).Append(';').Append(r.BrainPlane).Append(';').Append(r.Operator)
                .Append(';').Append(r.UsMachine).Append(';').Append(r.OfficialTrain ? "1 " : "0 ").Append('\n');
        IO.AtomicFile.WriteAllText(csvPath, text.ToString());
    }
}
