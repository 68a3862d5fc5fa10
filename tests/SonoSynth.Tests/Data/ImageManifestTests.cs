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
}
