using System.Text;

namespace SonoSynth.Metrics;

/// <summary>Minimal RFC 4180 fields: quotes a field only when it holds a comma, quote or line break.</summary>
internal static class CsvFields
{
    public static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    /// <summary>Splits one line; returns null when a quoted field is not closed.</summary>
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
