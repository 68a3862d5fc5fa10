using System.Text;

namespace SonoSynth.Reports;

/// <summary>Renders a <see cref="ReportDocument"/> as GitHub-flavoured Markdown; figures link the PNG files beside it.</summary>
public static class MarkdownWriter
{
    public static string Render(ReportDocument document)
    {
        var text = new StringBuilder();
        text.AppendLine($"# {document.Title}").AppendLine();
        foreach (var section in document.Sections)
        {
            text.AppendLine($"## {section.Heading}").AppendLine();
            foreach (var block in section.Blocks)
            {
                switch (block)
                {
                    case ParagraphBlock p:
                        text.AppendLine(p.Text).AppendLine();
                        break;
                    case TableBlock t:
                        if (t.Caption != "") text.AppendLine($"**{t.Caption}**").AppendLine();
                        text.AppendLine("| " + string.Join(" | ", t.Header.Select(Escape)) + " |");
                        text.AppendLine("|" + string.Concat(t.Header.Select(_ => "---|")));
                        foreach (var row in t.Rows) text.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
                        text.AppendLine();
                        break;
                    case FigureBlock f:
                        text.AppendLine($"![{Escape(f.Caption)}]({f.Path.Replace('\\', '/')})").AppendLine();
                        text.AppendLine($"*{f.Caption}*").AppendLine();
                        break;
                }
            }
        }
        return text.ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|").Replace("\n", " ");
}
