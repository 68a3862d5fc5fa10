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
        var plot = Build(confusion, title);
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(size, size, ImageFormat.Png));
    }

    /// <summary>The plot itself: cell (true row, predicted column) is centred on coordinates (column, k-1-row).</summary>
    public static Plot Build(ConfusionMatrix confusion, string title = "Confusion matrix")
    {
        int k = confusion.ClassCount;
        var percent = confusion.RowPercent();
        var plot = new Plot();
        // ScottPlot draws row 0 of the array at the top; that is the usual confusion-matrix layout.
        var heatmap = plot.Add.Heatmap(percent);
        heatmap.Colormap = new WhiteToBlue();
        heatmap.ManualRange = new ScottPlot.Range(0, 100);
        // ScottPlot 5 places the edge cells' centres on the extent, so cell (row, column) is centred on (column, k-1-row).
        heatmap.Extent = k > 1 ? new CoordinateRect(0, k - 1, 0, k - 1) : new CoordinateRect(-0.5, 0.5, -0.5, 0.5);
        for (int row = 0; row < k; row++)
            for (int column = 0; column < k; column++)
            {
                double y = k - 1 - row;
                var label = plot.Add.Text($"{confusion.Counts[row, column]}\n{percent[row, column]:F1}%", column, y);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = Math.Clamp(120f / k, 10f, 18f);
                label.LabelFontColor = percent[row, column] > 50 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, confusion.ClassNames.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            positions, Enumerable.Range(0, k).Select(i => confusion.ClassNames[k - 1 - i]).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
        plot.Axes.Bottom.MinimumSize = 110;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Axes.Bottom.Label.Text = "Predicted class";
        plot.Axes.Left.Label.Text = "True class";
        plot.Title(title);
        plot.Add.ColorBar(heatmap).Label = "row %";
        return plot;
    }

    /// <summary>White at 0 % to dark blue at 100 %, so empty cells stay white and the diagonal stands out.</summary>
    private sealed class WhiteToBlue : IColormap
    {
        public string Name => "white to blue";

        public Color GetColor(double position)
        {
            double t = Math.Clamp(double.IsNaN(position) ? 0 : position, 0, 1);
            static byte Mix(byte from, byte to, double t) => (byte)Math.Round(from + (to - from) * t);
            return new Color(Mix(255, 8, t), Mix(255, 48, t), Mix(255, 107, t));
        }
    }
}
