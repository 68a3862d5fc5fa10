using ScottPlot;

namespace SonoSynth.Reports;

/// <summary>The report's plots (ScottPlot 5), written as PNG files.</summary>
public static class Charts
{
    public sealed record Series(string Name, double[] X, double[] Y);

    /// <summary>Lines over a shared x axis, e.g. accuracy per epoch for train and test.</summary>
    public static void Lines(string path, string title, string xLabel, string yLabel, IEnumerable<Series> series, int width = 720, int height = 420)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.X, s.Y);
            line.LegendText = s.Name;
            line.MarkerSize = s.X.Length > 40 ? 0 : 4;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    /// <summary>Groups of bars: one group per category, one bar per series (e.g. ours vs the paper per regime).</summary>
    public static void GroupedBars(string path, string title, string yLabel, IReadOnlyList<string> categories,
        IReadOnlyList<(string Name, double[] Values)> series, int width = 820, int height = 420)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double groupWidth = 0.8, barWidth = groupWidth / Math.Max(1, series.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
            {
                if (double.IsNaN(series[s].Values[c])) continue;
                bars.Add(new Bar
                {
                    Position = c - groupWidth / 2 + barWidth * (s + 0.5),
                    Value = series[s].Values[c],
                    Size = barWidth * 0.95,
                    FillColor = palette.GetColor(s),
                });
            }
            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = series[s].Name;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 0; // rotated labels were clipped at the bottom edge
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperCenter;
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        Save(plot, path, width, height);
    }

    /// <summary>One line per series over a log-scaled x axis with a vertical interval at each point (e.g. mean and 95% CI over seeds).</summary>
    public sealed record IntervalSeries(string Name, double[] X, double[] Y, double[] Lower, double[] Upper);

    public static void LinesWithIntervals(string path, string title, string xLabel, string yLabel, IReadOnlyList<IntervalSeries> series,
        double? reference = null, string referenceLabel = "", int width = 760, int height = 460)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < series.Count; s++)
        {
            var color = palette.GetColor(s);
            // A small offset per series keeps overlapping intervals apart; the ticks stay at the true x.
            var x = series[s].X.Select(v => Math.Log10(v) + 0.012 * (s - (series.Count - 1) / 2.0)).ToArray();
            var line = plot.Add.Scatter(x, series[s].Y);
            line.LegendText = series[s].Name;
            line.Color = color;
            line.MarkerSize = 6;
            for (int i = 0; i < x.Length; i++)
                if (double.IsFinite(series[s].Lower[i]) && double.IsFinite(series[s].Upper[i]))
                {
                    var bar = plot.Add.Line(x[i], series[s].Lower[i], x[i], series[s].Upper[i]);
                    bar.Color = color;
                    bar.LineWidth = 1.5f;
                }
        }
        if (reference is double level)
        {
            var hline = plot.Add.HorizontalLine(level);
            hline.LinePattern = LinePattern.Dashed;
            hline.Color = Colors.Gray;
            hline.LegendText = referenceLabel;
        }
        var ticks = series.SelectMany(s => s.X).Distinct().Order().ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        Save(plot, path, width, height);
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
