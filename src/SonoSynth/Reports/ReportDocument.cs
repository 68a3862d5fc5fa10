namespace SonoSynth.Reports;

/// <summary>
/// A report as data: sections of paragraphs, tables and figures. <see cref="MarkdownWriter"/> and
/// <see cref="HtmlWriter"/> render the same document, so the Markdown and the HTML never disagree.
/// </summary>
public sealed class ReportDocument(string title)
{
    public string Title { get; } = title;
    public List<ReportSection> Sections { get; } = [];

    public ReportSection AddSection(string heading)
    {
        var section = new ReportSection(heading);
        Sections.Add(section);
        return section;
    }
}

public sealed class ReportSection(string heading)
{
    public string Heading { get; } = heading;
    public List<ReportBlock> Blocks { get; } = [];

    public ReportSection Paragraph(string text) { Blocks.Add(new ParagraphBlock(text)); return this; }

    public ReportSection Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Blocks.Add(new TableBlock(caption, header, rows.ToList()));
        return this;
    }

    /// <summary>A PNG figure; <paramref name="path"/> is relative to the report's folder.</summary>
    public ReportSection Figure(string caption, string path) { Blocks.Add(new FigureBlock(caption, path)); return this; }
}

public abstract record ReportBlock;
public sealed record ParagraphBlock(string Text) : ReportBlock;
public sealed record TableBlock(string Caption, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : ReportBlock;
public sealed record FigureBlock(string Caption, string Path) : ReportBlock;
