using SonoSynth.IO;

namespace SonoSynth.Quality.Memorisation;

/// <summary>Histogram PNG of synthetic→training vs real→training nearest-neighbour distances, with the copy threshold.</summary>
public static class DistanceHistogram
{
    public static void Save(string path, SpaceSummary space, string xLabel, int binCount = 40)
    {
        var all = space.SyntheticToTrain.Concat(space.RealToTrain).ToArray();
        double min = Math.Min(0, all.Min()), max = Math.Max(all.Max(), space.CopyThreshold) * 1.02 + 1e-9;
        var plot = new ScottPlot.Plot();
        AddShares(plot, space.RealToTrain, min, max, binCount, ScottPlot.Colors.SteelBlue, $"real (held-out) → training, n={space.RealToTrain.Length}");
        AddShares(plot, space.SyntheticToTrain, min, max, binCount, ScottPlot.Colors.OrangeRed, $"synthetic → training, n={space.SyntheticToTrain.Length}");
        var line = plot.Add.VerticalLine(space.CopyThreshold);
        line.LegendText = $"copy threshold {space.CopyThreshold:G4}";
        line.Color = ScottPlot.Colors.Black;
        plot.XLabel(xLabel);
        plot.YLabel("share of images");
        plot.Title($"Nearest training image ({space.Space})");
        plot.ShowLegend();
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png));
    }

    private static void AddShares(ScottPlot.Plot plot, double[] values, double min, double max, int binCount, ScottPlot.Color color, string label)
    {
        var histogram = ScottPlot.Statistics.Histogram.WithBinCount(binCount, min, max);
        histogram.AddRange(values);
        var shares = histogram.Counts.Select(c => (double)c / values.Length).ToArray();
        double width = (max - min) / binCount;
        var bars = plot.Add.Bars(histogram.Bins.Select(b => b + width / 2).ToArray(), shares);
        bars.LegendText = label;
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = color.WithAlpha(0.5);
            bar.LineWidth = 0;
            bar.Size = width;
        }
    }
}
