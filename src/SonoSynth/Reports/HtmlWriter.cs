using System.Net;
using System.Text;

namespace SonoSynth.Reports;

/// <summary>
/// Renders a <see cref="ReportDocument"/> as ONE self-contained HTML file: figures are embedded as base64 data
/// URIs, so the file can be mailed or archived without its folder.
/// </summary>
public static class HtmlWriter
{
    public static string Render(ReportDocument document, string reportFolder)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{Encode(document.Title)}</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}" +
            "table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}" +
            "th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}caption{font-weight:600;text-align:left;padding:.3em 0}" +
            "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:.9em}" +
            "h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}</style></head><body>");
        html.AppendLine($"<h1>{Encode(document.Title)}</h1>");
        foreach (var section in document.Sections)
        {
            html.AppendLine($"<h2>{Encode(section.Heading)}</h2>");
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case ParagraphBlock p:
                        html.AppendLine($"<p>{Encode(p.Text)}</p>");
                        break;
                    case TableBlock t:
                        html.Append("<table>");
                        if (t.Caption != "") html.Append($"<caption>{Encode(t.Caption)}</caption>");
                        html.Append("<tr>").Append(string.Concat(t.Header.Select(h => $"<th>{Encode(h)}</th>"))).AppendLine("</tr>");
                        foreach (var row in t.Rows)
                            html.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{Encode(c)}</td>"))).AppendLine("</tr>");
                        html.AppendLine("</table>");
                        break;
                    case FigureBlock f:
                        var file = Path.Combine(reportFolder, f.Path);
                        var source = File.Exists(file) ? "data:image/png;base64," + Convert.ToBase64String(File.ReadAllBytes(file)) : f.Path;
                        html.AppendLine($"<figure><img src=\"{source}\" alt=\"{Encode(f.Caption)}\"><figcaption>{Encode(f.Caption)}</figcaption></figure>");
                        break;
                }
            }
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
