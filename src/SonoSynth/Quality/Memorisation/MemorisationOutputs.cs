using System.Globalization;
using System.Text;
using System.Text.Json;
using SonoSynth.Imaging;
using SonoSynth.IO;
using SonoSynth.Quality.Inputs;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Memorisation;

/// <summary>
/// Writes the audit's files into a folder: nearest_training_images.csv (one row per synthetic image, closest first),
/// summary.json, pixel_distances.png / feature_distances.png (histograms, synthetic vs real reference, threshold
/// line) and closest_pairs.png (each row: synthetic image | its nearest training image, closest first).
/// </summary>
public static class MemorisationOutputs
{
    public const string ListFile = "nearest_training_images.csv";
    public const string SummaryFile = "summary.json";
    public const string PairsFile = "closest_pairs.png";

    public static void Write(MemorisationReport report, IImageSource synthetic, IImageSource training, string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, ListFile), Csv(report));
        AtomicFile.WriteAllText(Path.Combine(folder, SummaryFile), JsonSerializer.Serialize(Summary(report),
            new JsonSerializerOptions
            {
                WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
        DistanceHistogram.Save(Path.Combine(folder, "pixel_distances.png"), report.Pixel, "L2 distance to nearest training image (pixels)");
        if (report.Feature is not null)
            DistanceHistogram.Save(Path.Combine(folder, "feature_distances.png"), report.Feature,
                $"L2 distance to nearest training image ({report.FeatureExtractor})");
        SavePairs(Path.Combine(folder, PairsFile), report, synthetic, training);
    }

    /// <summary>Ordered by pixel distance, closest (most suspicious) first.</summary>
    public static string Csv(MemorisationReport report)
    {
        var text = new StringBuilder("synthetic_id,synthetic_class,pixel_nearest_train_id,pixel_distance,pixel_real_share," +
            "feature_nearest_train_id,feature_distance,feature_real_share,likely_copy\n");
        foreach (var m in report.Matches.OrderBy(m => m.PixelDistance))
            text.AppendLine(string.Join(",", Cell(m.SyntheticId), Cell(m.SyntheticClass), Cell(m.PixelTrainId), Number(m.PixelDistance),
                Number(m.PixelRealShare), Cell(m.FeatureTrainId), Number(m.FeatureDistance), Number(m.FeatureRealShare),
                m.LikelyCopy ? "true" : "false"));
        return text.ToString();
    }

    private static object Summary(MemorisationReport report) => new
    {
        synthetic_count = report.Matches.Count,
        training_count = report.TrainingCount,
        real_reference = report.RealReference,
        real_reference_count = report.RealReferenceCount,
        copy_rule = $"nearest-training distance <= {report.Options.CopyPercentile.ToString(CultureInfo.InvariantCulture)}th percentile " +
            "of real-vs-real nearest-neighbour distances, in pixel or feature space",
        likely_copies = report.LikelyCopyCount,
        likely_copy_ids = report.Matches.Where(m => m.LikelyCopy).Select(m => m.SyntheticId).ToList(),
        pixel = SpaceJson(report.Pixel, report.Options.PixelSize + "x" + report.Options.PixelSize + " gray pixels in [0,1]"),
        feature = report.Feature is null ? null : SpaceJson(report.Feature, report.FeatureExtractor ?? ""),
    };

    private static object SpaceJson(SpaceSummary space, string description)
    {
        var synthetic = new DistanceDistribution(space.SyntheticToTrain);
        var real = new DistanceDistribution(space.RealToTrain);
        return new
        {
            space = description,
            copy_threshold = space.CopyThreshold,
            flagged = space.SyntheticToTrain.Count(d => d <= space.CopyThreshold),
            synthetic_to_train = Quantiles(synthetic),
            real_to_train = Quantiles(real),
        };
    }

    private static Dictionary<string, double> Quantiles(DistanceDistribution d) => new()
    {
        ["min"] = d.Sorted[0], ["p1"] = d.Percentile(1), ["p5"] = d.Percentile(5), ["median"] = d.Percentile(50),
        ["p95"] = d.Percentile(95), ["max"] = d.Sorted[^1],
    };

    private static void SavePairs(string path, MemorisationReport report, IImageSource synthetic, IImageSource training)
    {
        var closest = report.Matches.OrderBy(m => m.PixelDistance).Take(report.Options.ClosestPairs).ToList();
        if (closest.Count == 0) return;
        using var scope = NewDisposeScope();
        var left = synthetic.LoadBatch(closest.Select(m => m.SyntheticIndex).ToList(), report.Options.PictureSize);
        var right = training.LoadBatch(closest.Select(m => m.PixelTrainIndex).ToList(), report.Options.PictureSize);
        // Interleave: row k = synthetic k, its nearest training image.
        var pairs = stack([left, right], 1).reshape(-1, 1, report.Options.PictureSize, report.Options.PictureSize);
        ImageGrid.Save(path, pairs, columns: 2);
    }

    private static string Cell(string? value) =>
        value is null ? "" : value.Contains(',') || value.Contains('"') ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
