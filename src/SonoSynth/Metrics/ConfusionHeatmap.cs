using ScottPlot;
using SonoSynth.IO;

namespace SonoSynth.Metrics;

/// <summary>
/// The confusion matrix as a PNG heat map: colour = row % (so rare classes are as readable as common ones),
/// each cell annotated with its count and row %, true classes down the left, predicted classes along the bottom.
/// </summary>
public static class ConfusionHeatmap
{
    public static void WritePng(ConfusionMatrix confusion, string path, string title = "Confusion matrix", int size = 900)
    {
        int k = confusion.ClassCount;
        var percent = confusion.RowPercent();
        var plot = new Plot();
        // ScottPlot draws row 0 of the array at the top; that is the usual confusion-matrix layout.
        var heatmap = plot.Add.Heatmap(percent);
        heatmap.Colormap = new ScottPlot.Colormaps.Blues();
        heatmap.ManualRange = new ScottPlot.Range(0, 100);
        heatmap.Extent = new CoordinateRect(-0.5, k - 0.5, -0.5, k - 0.5);
        for (int row = 0; row < k; row++)
            for (int column = 0; column < k; column++)
            {
                double y = k - 1 - row;
                var label = plot.Add.Text($"{confusion.Counts[row, column]}\n{percent[row, column]:F1}%", column, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = Math.Clamp(120f / k, 10f, 18f);
                label.LabelFontColor = percent[row, column] > 55 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, confusion.ClassNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, Enumerable.Range(0, k).Select(i => confusion.ClassNames[k - 1 - i]).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Axes.Bottom.Label.Text = "Predicted class";
        plot.Axes.Left.Label.Text = "True class";
        plot.Title(title);
        plot.Add.ColorBar(heatmap).Label = "row %";
        var bytes = plot.GetImageBytes(size, size, ImageFormat.Png);
        AtomicFile.WriteAllBytes(path, bytes);
    }
}
