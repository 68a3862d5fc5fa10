using System.Globalization;
using System.Text;
using SonoSynth.Data;
using SonoSynth.IO;

namespace SonoSynth.Metrics;

/// <summary>One test image: its id, true and predicted class index, and the class probabilities.</summary>
public sealed record PredictionRow(string Image, int True, int Predicted, float[] Probabilities);

/// <summary>
/// Per-image predictions of one model on one test set, as saved in <c>predictions.csv</c>:
/// <c>image,true,pred,p_&lt;class slug&gt;...</c> with class names in the true/pred columns.
/// Metrics, McNemar's test and ensembles all read this file, so models are compared on exactly the same images.
/// </summary>
public sealed class PredictionTable
{
    public PredictionTable(IReadOnlyList<string> classNames, IReadOnlyList<PredictionRow> rows)
    {
        foreach (var row in rows)
        {
            if (row.Probabilities.Length != classNames.Count)
                throw new ArgumentException($"Image '{row.Image}' has {row.Probabilities.Length} probabilities for {classNames.Count} classes.");
            if ((uint)row.True >= classNames.Count || (uint)row.Predicted >= classNames.Count)
                throw new ArgumentException($"Image '{row.Image}' has a class index outside 0..{classNames.Count - 1}.");
        }
        ClassNames = classNames;
        Rows = rows;
    }

    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<PredictionRow> Rows { get; }
    public int Count => Rows.Count;

    public int[] TrueLabels => Rows.Select(r => r.True).ToArray();
    public int[] PredictedLabels => Rows.Select(r => r.Predicted).ToArray();
    public bool[] Correct => Rows.Select(r => r.True == r.Predicted).ToArray();
    public double Accuracy => Count == 0 ? 0 : Rows.Count(r => r.True == r.Predicted) / (double)Count;

    public static string ColumnFor(string className) => "p_" + PlaneClasses.Slug(className);

    public void Write(string path)
    {
        var text = new StringBuilder();
        text.Append("image,true,pred");
        foreach (var name in ClassNames) text.Append(',').Append(CsvFields.Quote(ColumnFor(name)));
        text.Append('\n');
        foreach (var row in Rows)
        {
            text.Append(CsvFields.Quote(row.Image)).Append(',')
                .Append(CsvFields.Quote(ClassNames[row.True])).Append(',')
                .Append(CsvFields.Quote(ClassNames[row.Predicted]));
            foreach (var p in row.Probabilities) text.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// Reads a predictions CSV. Class order comes from the p_ columns; true/pred may be class names (any case,
    /// spaces or underscores) or class indices. Errors name the file and line.
    /// </summary>
    public static PredictionTable Read(string path)
    {
        if (!File.Exists(path))
            throw new InputError($"Predictions file '{path}' does not exist. Pass a predictions.csv written by 'sonosynth classify train'.");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
            throw new InputError($"'{path}' is empty; expected a header 'image,true,pred,p_<class>...'.");
        var header = CsvFields.Split(lines[0]) ?? throw new InputError($"'{path}' line 1: unclosed quote in the header.");
        if (header.Count < 4 || header[0] != "image" || header[1] != "true" || header[2] != "pred" ||
            header.Skip(3).Any(h => !h.StartsWith("p_", StringComparison.Ordinal)))
            throw new InputError($"'{path}' line 1: header must be 'image,true,pred,p_<class>...' (got '{lines[0]}'). " +
                "Is this a predictions file written by 'sonosynth classify train'?");
        // p_ columns name classes by slug (what Write puts there) or by name (p_Fetal brain): compare them as slugs.
        var columnNames = header.Skip(3).Select(h => h[2..]).ToList();
        var slugs = columnNames.Select(PlaneClasses.Slug).ToList();
        if (slugs.Distinct().Count() != slugs.Count)
            throw new InputError($"'{path}' line 1: a class column appears twice.");
        var displayNames = columnNames.ToArray();
        var rows = new List<PredictionRow>();
        for (int i = 1; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var fields = CsvFields.Split(lines[i]) ?? throw new InputError($"'{path}' line {lineNumber}: unclosed quote.");
            if (fields.Count != header.Count)
                throw new InputError($"'{path}' line {lineNumber}: {fields.Count} fields, but the header has {header.Count}. " +
                    "The file is truncated or was edited; regenerate it.");
            int ParseClass(string value, string column)
            {
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
                {
                    if ((uint)index < slugs.Count) return index;
                }
                else
                {
                    int found = slugs.IndexOf(PlaneClasses.Slug(value));
                    if (found >= 0)
                    {
                        if (columnNames[found] == slugs[found]) displayNames[found] = value; // a slug header: show the value's name
                        return found;
                    }
                }
                throw new InputError($"'{path}' line {lineNumber}: {column} class '{value}' is not one of the file's classes " +
                    $"({string.Join(", ", columnNames)}).");
            }
            int truth = ParseClass(fields[1], "true");
            int predicted = ParseClass(fields[2], "pred");
            var probabilities = new float[slugs.Count];
            for (int k = 0; k < slugs.Count; k++)
            {
                if (!float.TryParse(fields[3 + k], NumberStyles.Float, CultureInfo.InvariantCulture, out probabilities[k]) ||
                    !float.IsFinite(probabilities[k]) || probabilities[k] < 0 || probabilities[k] > 1.0001f)
                    throw new InputError($"'{path}' line {lineNumber}: column {header[3 + k]} = '{fields[3 + k]}' is not a probability in [0,1].");
            }
            rows.Add(new PredictionRow(fields[0], truth, predicted, probabilities));
        }
        return new PredictionTable(displayNames, rows);
    }

    /// <summary>
    /// Throws unless <paramref name="other"/> holds the same images in the same order with the same true labels
    /// and classes: paired comparisons (McNemar, votes) are meaningless otherwise.
    /// </summary>
    public void EnsureSameImages(PredictionTable other, string thisName, string otherName)
    {
        if (!ClassNames.Select(PlaneClasses.Slug).SequenceEqual(other.ClassNames.Select(PlaneClasses.Slug)))
            throw new InputError($"'{thisName}' and '{otherName}' have different classes " +
                $"({string.Join(", ", ClassNames)} vs {string.Join(", ", other.ClassNames)}).");
        if (Count != other.Count)
            throw new InputError($"'{thisName}' has {Count} images but '{otherName}' has {other.Count}; " +
                "compare prediction files made on the same test set.");
        for (int i = 0; i < Count; i++)
        {
            if (Rows[i].Image != other.Rows[i].Image)
                throw new InputError($"Row {i + 1} (line {i + 2}) is image '{Rows[i].Image}' in '{thisName}' but '{other.Rows[i].Image}' " +
                    $"in '{otherName}'; the files must list the same images in the same order.");
            if (Rows[i].True != other.Rows[i].True)
                throw new InputError($"Image '{Rows[i].Image}' (line {i + 2}) has a different true class in '{thisName}' and '{otherName}'.");
        }
    }
}
