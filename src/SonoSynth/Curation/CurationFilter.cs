using System.Globalization;
using System.Text;
using SonoSynth.Data;
using SonoSynth.IO;
using SonoSynth.Runtime;

namespace SonoSynth.Curation;

/// <summary>
/// Splits a synthetic set into good and bad by the classifier's P(good) and a threshold, writing
/// <see cref="GoodManifestName"/> and <see cref="BadManifestName"/>: the generator's manifest columns plus
/// <c>score</c>, paths relative to the output folder (like the generator's manifest, relative to its own folder),
/// so either file can feed pretraining (the paper's Table 4: pretrain on "good" vs "bad" images).
/// </summary>
public static class CurationFilter
{
    public const string GoodManifestName = "good.csv";
    public const string BadManifestName = "bad.csv";
    public static IReadOnlyList<string> Header { get; } = [.. ImageManifest.Columns, "score"];

    private const int ChunkSize = 256; // images decoded at a time, so large sets stream

    public static CurationFilterResult Run(SyntheticImageSet images, CurationModel model, double threshold, string outputFolder,
        IProgress<ProgressUpdate>? progress = null)
    {
        if (threshold is <= 0 or >= 1) throw new ArgumentException($"--threshold {threshold}: must be in (0, 1).");
        var scores = new float[images.Count];
        for (int start = 0; start < images.Count; start += ChunkSize)
        {
            var chunk = images.Images.Skip(start).Take(ChunkSize).ToList();
            using var pixels = CurationTrainer.LoadPixels(chunk, model.Info.ImageSize);
            model.Score(pixels).CopyTo(scores, start);
            progress?.Report(ProgressUpdate.Of("score images", start + chunk.Count, images.Count));
        }
        var folder = Path.GetFullPath(outputFolder);
        var good = new StringBuilder().AppendLine(ImageManifest.FormatRow(Header));
        var bad = new StringBuilder().AppendLine(ImageManifest.FormatRow(Header));
        int goodCount = 0;
        for (int i = 0; i < images.Count; i++)
        {
            var image = images.Images[i];
            bool isGood = scores[i] >= threshold;
            if (isGood) goodCount++;
            var relative = Path.GetRelativePath(folder, image.FullPath).Replace(Path.DirectorySeparatorChar, '/');
            (isGood ? good : bad).AppendLine(ImageManifest.FormatRow([relative, image.ClassName, image.Round, image.Seed,
                image.Sampler, image.Steps, image.Guidance, scores[i].ToString("F4", CultureInfo.InvariantCulture)]));
        }
        var goodPath = Path.Combine(folder, GoodManifestName);
        var badPath = Path.Combine(folder, BadManifestName);
        AtomicFile.WriteAllText(goodPath, good.ToString());
        AtomicFile.WriteAllText(badPath, bad.ToString());
        return new CurationFilterResult(goodCount, images.Count - goodCount, threshold, goodPath, badPath, scores);
    }
}

/// <summary>Counts and manifest paths of a filter run; <see cref="Scores"/> is P(good) in the set's image order.</summary>
public sealed record CurationFilterResult(int GoodCount, int BadCount, double Threshold, string GoodManifest, string BadManifest,
    IReadOnlyList<float> Scores);
