using SonoSynth.Reports;

namespace SonoSynth.Tests.Reports;

public sealed class ReportWriterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void HtmlIsSelfContainedAndMarkdownHasTheSameTable()
    {
        Charts.Lines(Path.Combine(folder, "curve.png"), "Accuracy", "epoch", "%",
            [new Charts.Series("test", [1, 2, 3], [50, 70, 80])]);
        var document = new ReportDocument("Run");
        document.AddSection("Table 5").Table("ViT", ["Regime", "Ours", "Paper"], [["real-only", "71.0", "75.5"]])
            .Figure("Accuracy per epoch", "curve.png");

        var html = HtmlWriter.Render(document, folder);
        var markdown = MarkdownWriter.Render(document);

        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html); // PNG signature, embedded
        Assert.DoesNotContain("src=\"curve.png\"", html);
        Assert.Contains("<td>real-only</td><td>71.0</td><td>75.5</td>", html);
        Assert.Contains("| real-only | 71.0 | 75.5 |", markdown);
        Assert.Contains("![Accuracy per epoch](curve.png)", markdown);
    }
}
