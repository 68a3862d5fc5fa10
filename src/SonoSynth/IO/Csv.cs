using System.Text;

namespace SonoSynth.IO;

/// <summary>
/// The one CSV tokeniser (minimal RFC 4180, one record per line): a field is quoted only when it holds a comma,
/// quote or line break, and quotes inside are doubled. A quote opens a quoted field only at the field's start.
/// </summary>
public static class Csv
{
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    public static string Join(IEnumerable<string> fields) => string.Join(",", fields.Select(Quote));

    /// <summary>Splits one line into its fields; null when a quoted field is not closed.</summary>
    public static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"' && current.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        if (quoted) return null;
        fields.Add(current.ToString());
        return fields;
    }
}
