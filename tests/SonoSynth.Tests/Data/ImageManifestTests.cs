using SonoSynth.Data;

namespace SonoSynth.Tests.Data;

public class ImageManifestTests
{
    [Fact]
    public void RowsAreReadByColumnNameWithQuotedFieldsAndAnyHeaderCase()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("good.csv");
        File.WriteAllLines(path, [
            "Path,LABEL,guidance,score",
            ImageManifest.FormatRow(["round0/a.png", "Fetal brain", "classifier, s=2", "0.9"]),
            "",
            "round0/b.png,Other",
        ]);

        var rows = ImageManifest.ReadRows(path);
        Assert.Equal([2, 4], rows.Select(r => r.Line));
        Assert.Equal(("round0/a.png", "Fetal brain", "classifier, s=2", "0.9"), (rows[0].Path, rows[0].Label, rows[0].Field("guidance"), rows[0].Field("score")));
        // A short row reads its missing columns as empty.
        Assert.Equal(("round0/b.png", "Other", ""), (rows[1].Path, rows[1].Label, rows[1].Field("guidance")));
    }

    [Fact]
    public void ARowWithoutLabelNamesItsLineUnlessLabelsAreOptional()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(ImageManifest.FileName);
        File.WriteAllLines(path, [ImageManifest.Header, "round0/a.png,Fetal brain", "round0/b.png"]);

        var error = Assert.Throws<InputError>(() => ImageManifest.ReadRows(path));
        Assert.Contains("line 3", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Equal(2, ImageManifest.ReadRows(path, requireLabel: false).Count);
    }

    [Fact]
    public void ResumingKeepsWholeRowsOfExistingImagesAndDropsATornRow()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(ImageManifest.FileName);
        Assert.Empty(ImageManifest.ResumeAppending(path, _ => true));
        Assert.Equal(ImageManifest.Header + "\n", File.ReadAllText(path));

        ImageManifest.AppendRows(path, "round1/a.png,Other\nround1/gone.png,Other\n" + ImageManifest.FormatRow(["round1/c,d.png", "Other"]) + "\n");
        File.AppendAllText(path, "round1/torn.png,Oth"); // a kill mid-append
        var kept = ImageManifest.ResumeAppending(path, image => image != "round1/gone.png");
        Assert.Equal(["round1/a.png", "round1/c,d.png"], kept.Order(StringComparer.Ordinal));
        Assert.Equal(ImageManifest.Header + "\nround1/a.png,Other\n\"round1/c,d.png\",Other\n", File.ReadAllText(path));

        File.WriteAllText(path, "name,score\n");
        Assert.Contains("--out", Assert.Throws<InputError>(() => ImageManifest.ResumeAppending(path, _ => true)).Message);
    }
}
