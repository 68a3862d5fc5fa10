using System.Text.Json;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Imaging;
using SonoSynth.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Generation;

/// <summary>What a synthetic set was sampled with, in words (sampling.json beside its manifest).</summary>
public sealed record SamplingRecord(string Weights, string Sampler, string Respacing, string Guidance);

/// <summary>
/// Pictures a generated set leaves beside its images, drawn with the same model, sampler and seeds as the set:
/// one denoising trajectory per class (trajectory.png: x_t from pure noise to the image, left to right) and, for a guided
/// set, its first images beside the same seeds sampled without guidance (guidance-comparison.png).
/// </summary>
public static class SamplingFigures
{
    public const string TrajectoryFile = "trajectory.png";
    public const string GuidanceComparisonFile = "guidance-comparison.png";
    public const string RecordFile = "sampling.json";
    public const int TrajectoryColumns = 9;
    public const int ComparisonPerClass = 4;

    /// <summary>Writes the sampling record and, unless <paramref name="figures"/> is false, the trajectory and guidance comparison.</summary>
    public static void Write(ImageGenerator generator, UNetModel model, BulkGenerationPlan plan, string folder, string weights, bool figures = true)
    {
        var options = generator.Options;
        var record = new SamplingRecord(weights, options.Describe(), options.Respacing, options.DescribeGuidance());
        AtomicFile.WriteAllText(Path.Combine(folder, RecordFile), JsonSerializer.Serialize(record, new JsonSerializerOptions { WriteIndented = true }));
        if (!figures) return;
        int classes = plan.ClassNames.Count;
        WriteTrajectories(generator, plan, classes, Path.Combine(folder, TrajectoryFile));
        if (options.ClassifierScale > 0 || options.FreeGuidanceWeight > 0)
            WriteGuidanceComparison(generator, model, plan, classes, folder);
    }

    private static void WriteTrajectories(ImageGenerator generator, BulkGenerationPlan plan, int classes, string path)
    {
        using var scope = NewDisposeScope();
        var seeds = Enumerable.Range(0, classes).Select(c => ImageSeeds.For(plan.Seed, 1, c, 0)).ToArray();
        var labels = torch.arange(classes, dtype: ScalarType.Int64);
        var snapshots = new List<Tensor>();
        int steps = generator.Sampler.Schedule.Count, seen = 0;
        // Evenly spaced steps from x_T (seen = 0) to the image (seen = steps).
        var keep = Enumerable.Range(0, TrajectoryColumns).Select(k => (int)Math.Round(k * steps / (double)(TrajectoryColumns - 1))).ToHashSet();
        try
        {
            // The sampler frees each step's tensors when the step ends, so the kept copies leave its dispose scope.
            using var final = generator.Generate(labels, seeds, observeStep: (_, x) =>
            {
                if (keep.Contains(seen++)) snapshots.Add(x.detach().cpu().clone().DetachFromDisposeScope());
            });
            // [classes x columns x 1 x H x W] → one row per class.
            var grid = torch.stack(snapshots, 1).flatten(0, 1);
            ImageGrid.Save(path, grid, snapshots.Count, signed: true);
        }
        finally
        {
            foreach (var snapshot in snapshots) snapshot.Dispose();
        }
    }

    private static void WriteGuidanceComparison(ImageGenerator guided, UNetModel model, BulkGenerationPlan plan, int classes, string folder)
    {
        using var scope = NewDisposeScope();
        var seeds = Enumerable.Range(0, classes).SelectMany(c => Enumerable.Range(0, ComparisonPerClass).Select(i => ImageSeeds.For(plan.Seed, 1, c, i))).ToArray();
        var labels = torch.tensor(Enumerable.Range(0, classes).SelectMany(c => Enumerable.Repeat((long)c, ComparisonPerClass)).ToArray());
        var unguided = new ImageGenerator(model, guided.Options with { ClassifierScale = 0, FreeGuidanceWeight = 0 });
        // The guided half is the set's own first images (same seeds) when the bulk run wrote them: showing the very
        // images that were judged, and sparing a quarter of the demo's sampling.
        var withGuidance = (ReadSetImages(folder, plan, classes, model.Config.ImageSize) ?? guided.Generate(labels, seeds).cpu())
            .view(classes, ComparisonPerClass, 1, model.Config.ImageSize, model.Config.ImageSize);
        var without = unguided.Generate(model.Config.ClassCount > 0 ? labels : null, seeds).cpu()
            .view(classes, ComparisonPerClass, 1, model.Config.ImageSize, model.Config.ImageSize);
        // A black tile between the two halves of each row (-1 is black in [−1, 1]).
        var gap = torch.full([classes, 1, 1, model.Config.ImageSize, model.Config.ImageSize], -1f);
        ImageGrid.Save(Path.Combine(folder, GuidanceComparisonFile), torch.cat([withGuidance, gap, without], 1).flatten(0, 1),
            2 * ComparisonPerClass + 1, signed: true);
    }

    /// <summary>Round 1's first <see cref="ComparisonPerClass"/> images per class as [−1, 1], or null when any is missing.</summary>
    private static Tensor? ReadSetImages(string folder, BulkGenerationPlan plan, int classes, int size)
    {
        if (plan.ImagesPerClass < ComparisonPerClass) return null;
        var paths = Enumerable.Range(0, classes).SelectMany(c => Enumerable.Range(0, ComparisonPerClass)
            .Select(i => Path.Combine(folder, BulkGenerator.ImagePath(1, plan.ClassNames[c], i)))).ToArray();
        if (!paths.All(File.Exists)) return null;
        var pixels = new List<float>(paths.Length * size * size);
        foreach (var path in paths)
        {
            var (gray, width, height) = ImageDecoder.DecodeGray(path, DecodePolicy.NativeGray);
            if (width != size || height != size) return null;
            pixels.AddRange(gray.Select(v => v / 127.5f - 1));
        }
        return torch.tensor(pixels.ToArray()).view(paths.Length, 1, size, size);
    }

    public static SamplingRecord? ReadRecord(string folder)
    {
        var path = Path.Combine(folder, RecordFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<SamplingRecord>(File.ReadAllText(path)) : null;
    }
}
