using System.Globalization;
using System.Text.Json;
using SonoSynth.Reports;

namespace SonoSynth.Bench;

/// <summary>Figures for bench/README.md: resident-memory curves (from bench/memory.sh) and the scaling table's plots.</summary>
public static class BenchPlots
{
    /// <summary>
    /// plot-memory CSV --label L --unit U --per-line N [--x seconds] --out PNG: RSS against progress (lines of the progress
    /// file minus its header, times N, e.g. 33 steps per epochs.csv row), or against elapsed seconds for a run whose progress
    /// file is only written at checkpoints. Prints the growth after warm-up as JSON.
    /// </summary>
    public static void Memory(string[] args)
    {
        string csv = args[1], label = Get(args, "--label", "run"), unit = Get(args, "--unit", "progress"), output = Get(args, "--out", "memory.png");
        double perLine = double.Parse(Get(args, "--per-line", "1"), CultureInfo.InvariantCulture);
        bool bySeconds = Get(args, "--x", "progress") == "seconds";
        var rows = File.ReadLines(csv).Skip(1).Select(line => line.Split(','))
            .Select(f => (Seconds: Parse(f[0]), RssMib: Parse(f[1]), Progress: bySeconds ? Parse(f[0]) : Math.Max(0, Parse(f[2]) - 1) * perLine))
            .Where(r => r.RssMib > 0).ToList();
        double end = rows.Max(r => r.Progress);
        // Warm-up: the first 10% of the work (model build, first batches, allocator pools); growth is measured after it.
        var afterWarmup = rows.Where(r => r.Progress >= 0.1 * end).ToList();
        double baseline = Median(afterWarmup.Where(r => r.Progress <= 0.2 * end).Select(r => r.RssMib));
        double final = Median(afterWarmup.Where(r => r.Progress >= 0.95 * end).Select(r => r.RssMib));
        double peak = afterWarmup.Max(r => r.RssMib);
        Charts.Lines(output, $"Resident memory, {label}", unit, "RSS (MiB)",
            [new Charts.Series(label, rows.Select(r => r.Progress).ToArray(), rows.Select(r => r.RssMib).ToArray())]);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            name = "memory/" + label, unit, end, samples = rows.Count, seconds = rows[^1].Seconds, baseline_mib = baseline, final_mib = final,
            peak_after_warmup_mib = peak, growth_percent = 100 * (final / baseline - 1),
        }));
    }

    /// <summary>plot-scaling JSONL --out-prefix P: P-batch.png (64 px, batch 8/16/32) and P-size.png (batch 8, 64/128/256 px).</summary>
    public static void Scaling(string[] args)
    {
        string prefix = Get(args, "--out-prefix", "scaling");
        var records = File.ReadLines(args[1]).Where(l => l.Contains("\"scaling/", StringComparison.Ordinal))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Name: e.GetProperty("name").GetString()!["scaling/".Length..], Batch: e.GetProperty("batch").GetInt32(),
                Size: e.GetProperty("size").GetInt32(), Seconds: e.GetProperty("median_s").GetDouble())).ToList();
        var names = records.Select(r => r.Name).Distinct().ToList();
        // Relative to the smallest shape, so both networks share an axis, beside the line of cost ∝ work (batch or pixels).
        Charts.Series Curve(string name, Func<(string Name, int Batch, int Size, double Seconds), bool> pick, Func<(string Name, int Batch, int Size, double Seconds), double> x)
        {
            var points = records.Where(r => r.Name == name && pick(r)).OrderBy(x).ToList();
            return new Charts.Series(name, points.Select(x).ToArray(), points.Select(r => r.Seconds / points[0].Seconds).ToArray());
        }
        Charts.Lines(prefix + "-batch.png", "Training step time against batch size (64×64 images)", "batch size", "time per step ÷ time at batch 8",
            [.. names.Select(n => Curve(n, r => r.Size == 64, r => r.Batch)), new Charts.Series("∝ batch", [8, 16, 32], [1, 2, 4])]);
        Charts.Lines(prefix + "-size.png", "Training step time against image size (batch 8)", "image size (pixels per side)", "time per step ÷ time at 64 px",
            [.. names.Select(n => Curve(n, r => r.Batch == 8, r => r.Size)), new Charts.Series("∝ pixels", [64, 128, 256], [1, 4, 16])]);
        Console.WriteLine($"wrote {prefix}-batch.png and {prefix}-size.png");
    }

    private static string Get(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
