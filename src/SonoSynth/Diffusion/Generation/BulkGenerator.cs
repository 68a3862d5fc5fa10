using System.Diagnostics;
using System.Globalization;
using System.Text;
using SonoSynth.Data;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Imaging;
using SonoSynth.IO;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Generation;

/// <summary>What a bulk run did: images written now, images that were already there, and where the manifest is.</summary>
public sealed record BulkGenerationResult(int Generated, int AlreadyPresent, string ManifestPath);

/// <summary>
/// Generates a synthetic data set: PNGs at round&lt;r&gt;/&lt;class_slug&gt;/&lt;index&gt;.png plus manifest.csv
/// (path,label,round,seed,sampler,steps,guidance). Resumable: images already in the manifest are skipped, the rest are
/// generated from their own seeds (<see cref="ImageSeeds"/>), so a rerun fills the gaps and never duplicates.
/// Manifest rows are appended per batch after the batch's PNGs are on disk; a torn last row from a kill is dropped.
/// </summary>
public sealed class BulkGenerator(ImageGenerator generator, string outputFolder)
{
        public string ManifestPath => Path.Combine(outputFolder, ImageManifest.FileName);

    /// <summary>Where image <paramref name="index"/> of a class in a round lies, relative to the output folder.</summary>
    public static string ImagePath(int round, string className, int index) =>
        $"round{round}/{BulkGenerationPlan.Slug(className)}/{index:D6}.png";

    public BulkGenerationResult Run(BulkGenerationPlan plan, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        plan.Validate();
        Directory.CreateDirectory(outputFolder);
        var done = ImageManifest.ResumeAppending(ManifestPath, path => File.Exists(Path.Combine(outputFolder, path)));
        var classes = plan.Classes ?? Enumerable.Range(0, plan.ClassNames.Count).ToArray();
        var pending = new List<(int Round, int Class, int Index, string Path, long Seed)>();
        int already = 0;
        for (int round = 1; round <= plan.Rounds; round++)
            foreach (var c in classes)
                for (int i = 0; i < plan.ImagesPerClass; i++)
                {
                    var relative = ImagePath(round, plan.ClassNames[c], i);
                    if (done.Contains(relative)) { already++; continue; }
                    pending.Add((round, c, i, relative, ImageSeeds.For(plan.Seed, round, c, i)));
                }

        var options = generator.Options;
        string sampler = options.Describe(), guidance = options.DescribeGuidance();
        int steps = generator.Sampler.Schedule.Count, total = pending.Count, generated = 0;
        var clock = Stopwatch.StartNew();
        progress?.Report(ProgressUpdate.Of("generating images", 0, total));
        foreach (var batch in pending.Chunk(Math.Max(1, options.BatchSize)))
        {
            if (cancellation.IsCancellationRequested) break;
            using var scope = NewDisposeScope();
            var labels = torch.tensor(batch.Select(item => (long)item.Class).ToArray());
            var images = ImageGrid.ToBytes(generator.Generate(labels, batch.Select(item => item.Seed).ToArray()).cpu(), signed: true);
            int size = (int)images.shape[3], height = (int)images.shape[2];
            var rows = new StringBuilder();
            for (int k = 0; k < batch.Length; k++)
            {
                var item = batch[k];
                GrayPng.Save(Path.Combine(outputFolder, item.Path), images[k, 0].contiguous().data<byte>().ToArray(), size, height);
                rows.Append(ImageManifest.FormatRow([item.Path, plan.ClassNames[item.Class], item.Round.ToString(CultureInfo.InvariantCulture),
                    item.Seed.ToString(CultureInfo.InvariantCulture), sampler, steps.ToString(CultureInfo.InvariantCulture), guidance])).Append('\n');
            }
            ImageManifest.AppendRows(ManifestPath, rows.ToString());
            generated += batch.Length;
            double rate = generated / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            progress?.Report(ProgressUpdate.Of("generating images", generated, total, ("img/s", rate),
                ("eta_s", (total - generated) / Math.Max(1e-9, rate))));
        }
        return new BulkGenerationResult(generated, already, ManifestPath);
    }
}
