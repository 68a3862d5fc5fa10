using SonoSynth.Metrics;
using SonoSynth.Tests.Training;

namespace SonoSynth.Tests.Metrics;

public class PredictionTableTests
{
    private static PredictionTable Sample() => new(["Fetal abdomen", "Maternal cervix"],
    [
        new PredictionRow("Patient001_Plane1, copy.png", 0, 1, [0.25f, 0.75f]),
        new PredictionRow("b.png", 1, 1, [0.1f, 0.9f]),
    ]);

    [Fact]
    public void WriteThenReadRoundTripsExactly()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("predictions.csv");
        Sample().Write(path);
        Assert.Equal("image,true,pred,p_fetal_abdomen,p_maternal_cervix", File.ReadLines(path).First());
        var read = PredictionTable.Read(path);
        Assert.Equal(["Fetal abdomen", "Maternal cervix"], read.ClassNames);
        Assert.Equal("Patient001_Plane1, copy.png", read.Rows[0].Image);
        Assert.Equal([0.25f, 0.75f], read.Rows[0].Probabilities);
        Assert.Equal([0, 1], read.TrueLabels);
        Assert.Equal(0.5, read.Accuracy);
    }

    [Fact]
    public void HeaderColumnsMayNameClassesInsteadOfSlugs()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("named.csv");
        File.WriteAllText(path, "image,true,pred,p_Fetal brain,p_Maternal cervix\na.png,fetal_brain,Maternal cervix,0.25,0.75\nb.png,1,0,0.5,0.5\n");
        var table = PredictionTable.Read(path);
        Assert.Equal(["Fetal brain", "Maternal cervix"], table.ClassNames);
        Assert.Equal([0, 1], table.TrueLabels);
        Assert.Equal([1, 0], table.PredictedLabels);
        Assert.Equal([0.25f, 0.75f], table.Rows[0].Probabilities);
    }

    [Fact]
    public void MalformedFilesNameTheLine()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("bad.csv");
        File.WriteAllText(path, "image,true,pred,p_a,p_b\nx.png,a,b,0.5,0.5\ny.png,a,b,0.5\n");
        Assert.Contains("line 3", Assert.Throws<InputError>(() => PredictionTable.Read(path)).Message);
        File.WriteAllText(path, "image,true,pred,p_a,p_b\nx.png,a,zebra,0.5,0.5\n");
        Assert.Contains("line 2: pred class 'zebra'", Assert.Throws<InputError>(() => PredictionTable.Read(path)).Message);
        File.WriteAllText(path, "file,label\n");
        Assert.Contains("line 1", Assert.Throws<InputError>(() => PredictionTable.Read(path)).Message);
        File.WriteAllText(path, "image,true,pred,p_a,p_b\nx.png,0,1,0.5,abc\n");
        Assert.Contains("line 2: column p_b", Assert.Throws<InputError>(() => PredictionTable.Read(path)).Message);
    }

    [Fact]
    public void ConfusionHeatmapWritesAPng()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("confusion.png");
        var report = ClassificationReport.Compute(["a", "b", "c"], [0, 0, 1, 2], [0, 1, 1, 2]);
        ConfusionHeatmap.WritePng(report.Confusion, path, size: 300);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4));
    }

    [Fact]
    public void HeatmapCellsSitWhereTheirLabelsSay()
    {
        // Rows (true): a → all predicted c; b → all b; c → all a. Row-% cells at 100 % are dark, 0 % cells white.
        var report = ClassificationReport.Compute(["a", "b", "c"], [0, 1, 2], [2, 1, 0]);
        var plot = ConfusionHeatmap.Build(report.Confusion);
        using var image = SkiaSharp.SKBitmap.Decode(plot.GetImageBytes(400, 400, ScottPlot.ImageFormat.Png));
        for (int row = 0; row < 3; row++)
            for (int column = 0; column < 3; column++)
            {
                // Off the cell centre, where the count is written.
                var pixel = plot.GetPixel(new ScottPlot.Coordinates(column + 0.35, 2 - row + 0.35));
                var colour = image.GetPixel((int)pixel.X, (int)pixel.Y);
                bool full = report.Confusion.Counts[row, column] == 1;
                Assert.True(full ? colour.Red < 100 : colour.Red > 240, $"cell ({row},{column}) has colour {colour}");
            }
    }
}
