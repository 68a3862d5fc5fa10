using SonoSynth.Data;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>
/// Compares a synthetic set with a real set: Fréchet distance (FID with the official weights), KID and improved
/// precision/recall, overall and per class. The synthetic set is the "generated" side of precision/recall.
/// </summary>
public static class QualityEvaluation
{
    public static QualityReport Run(QualityInput synthetic, QualityInput real, IFeatureExtractor? extractor,
        QualityOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        var notes = new List<string>();
        using var a = Side.Load(synthetic, extractor, options, progress, "features (synthetic)");
        using var b = Side.Load(real, extractor, options, progress, "features (real)");
        if (a.Dimension != b.Dimension)
            throw new InputError($"'{synthetic.Path}' has {a.Dimension}-d features but '{real.Path}' has {b.Dimension}-d; " +
                "both sides must come from the same feature extractor.");
        if (a.ExtractorId is not null && b.ExtractorId is not null && a.ExtractorId != b.ExtractorId)
            throw new InputError($"'{synthetic.Path}' used extractor '{a.ExtractorId}' but '{real.Path}' used '{b.ExtractorId}'; " +
                "distances between different feature spaces mean nothing. Recompute one side with the same extractor.");

        bool isFid = a.ExtractorId == FidInceptionWeights.ExtractorId && b.ExtractorId == FidInceptionWeights.ExtractorId;
        string extractorId = a.ExtractorId ?? b.ExtractorId ?? "unknown";
        string extractorName = extractor is not null && extractor.Id == extractorId ? extractor.DisplayName : extractorId;
        foreach (var side in new[] { a, b }.Where(s => s.ExtractorId is null))
            notes.Add($"'{side.Path}' does not record its feature extractor; if it holds pytorch-fid 2048-d pool3 statistics " +
                "or features, the distance equals FID, but this report cannot check that.");
        string label = isFid ? "FID" : $"Fréchet distance on {extractorName} features, NOT FID";

        var overall = Score(null, a, b, Enumerable.Range(0, a.Count).ToList(), Enumerable.Range(0, b.Count).ToList(), options, notes, progress);
        var perClass = new List<QualityScores>();
        if (options.PerClass)
        {
            if (a.Classes is null || b.Classes is null)
                throw new InputError("--per-class needs classes on both sides: image folders with class sub-folders, manifests " +
                    "with a label column, or prepared data sets (not .npy features or .npz statistics).");
            var order = PlaneClasses.Names.Select(PlaneClasses.Slug).ToList();
            var shared = a.Classes.Where(c => c is not null).Distinct().Intersect(b.Classes.Where(c => c is not null))
                .OrderBy(c => order.IndexOf(c!) is var i && i >= 0 ? i : int.MaxValue).ThenBy(c => c, StringComparer.Ordinal).ToList();
            if (shared.Count == 0)
                throw new InputError($"--per-class: '{synthetic.Path}' and '{real.Path}' share no class " +
                    $"(synthetic: {string.Join(", ", a.Classes.Distinct())}; real: {string.Join(", ", b.Classes.Distinct())}).");
            foreach (var slug in shared)
            {
                var rowsA = Enumerable.Range(0, a.Count).Where(i => a.Classes[i] == slug).ToList();
                var rowsB = Enumerable.Range(0, b.Count).Where(i => b.Classes[i] == slug).ToList();
                if (rowsA.Count < 2 || rowsB.Count < 2)
                {
                    notes.Add($"class {slug}: skipped, needs at least 2 images on each side ({rowsA.Count} synthetic, {rowsB.Count} real).");
                    continue;
                }
                perClass.Add(Score(slug, a, b, rowsA, rowsB, options, notes, progress));
            }
        }
        return new QualityReport(isFid ? "fid" : "frechet_distance", label, extractorId,
            a.Description, b.Description, overall, perClass, notes);
    }

    private static QualityScores Score(string? slug, Side a, Side b, List<int> rowsA, List<int> rowsB,
        QualityOptions options, List<string> notes, IProgress<ProgressUpdate>? progress)
    {
        using var scope = NewDisposeScope();
        string what = slug ?? "all";
        bool features = a.Features is not null && b.Features is not null;
        Tensor? fa = features ? a.Rows(rowsA) : null, fb = features ? b.Rows(rowsB) : null;
        using var statsA = a.StatisticsOf(rowsA);
        using var statsB = b.StatisticsOf(rowsB);
        double distance = FrechetDistance.Compute(statsA, statsB);
        int fewest = Math.Min(rowsA.Count, rowsB.Count);
        if (fewest <= a.Dimension)
            notes.Add($"{what}: {fewest} images on the smaller side for {a.Dimension}-d features, so its covariance is rank-deficient " +
                $"(rank ≤ {fewest - 1}); the Fréchet distance is biased and not comparable with values on ≥ {a.Dimension + 1} images per side.");
        progress?.Report(ProgressUpdate.Of($"Fréchet distance ({what})", 1, 1));

        KidResult? kid = null;
        PrecisionRecallResult? precisionRecall = null;
        if (!features)
        {
            if (slug is null && (options.Kid || options.PrecisionRecall))
                notes.Add("KID and precision/recall need features on both sides; a .npz holds only mu and sigma.");
        }
        else
        {
            if (options.Kid)
            {
                using var generator = new Generator(options.Seed);
                kid = KernelInceptionDistance.Compute(fa!, fb!, generator, options.KidSubsets, options.KidSubsetSize);
                if (kid.SubsetSize < options.KidSubsetSize) notes.Add(KidClampNote(what, options.KidSubsetSize, rowsA.Count, rowsB.Count, kid.SubsetSize));
                progress?.Report(ProgressUpdate.Of($"KID ({what})", 1, 1));
            }
            if (options.PrecisionRecall)
            {
                if (rowsA.Count > options.NeighbourCount && rowsB.Count > options.NeighbourCount)
                    precisionRecall = SonoSynth.Quality.PrecisionRecall.Compute(fb!, fa!, options.NeighbourCount);
                else
                    notes.Add($"{what}: precision/recall skipped, k={options.NeighbourCount} needs more images per side.");
                progress?.Report(ProgressUpdate.Of($"precision/recall ({what})", 1, 1));
            }
        }
        return new QualityScores(slug, rowsA.Count, rowsB.Count, distance, kid, precisionRecall);
    }

    /// <summary>Says that KID's subset size was cut to the smaller set, and what that does to its standard deviation.</summary>
    private static string KidClampNote(string what, int requested, int syntheticCount, int realCount, int used)
    {
        var note = $"{what}: KID subset size {requested} is more than the smaller set ({syntheticCount} synthetic, {realCount} real), so {used} was used";
        note += syntheticCount == used && realCount == used
            ? "; every subset is then the whole of both sets, so KID's standard deviation is 0 and says nothing about its uncertainty."
            : "; subsets of the smaller set all hold every one of its images, so the standard deviation understates the uncertainty.";
        return note + $" Pass --kid-subset-size below {used} (e.g. {Math.Max(2, used / 2)}) for a meaningful spread.";
    }

    /// <summary>One side's features (with classes), or only its statistics.</summary>
    private sealed class Side : IDisposable
    {
        private FeatureStatistics? statistics;

        public required string Path { get; init; }
        public required string Description { get; init; }
        public Tensor? Features { get; init; }
        public string?[]? Classes { get; init; }
        public string? ExtractorId { get; init; }
        public int Count => Features is not null ? (int)Features.shape[0] : (int)(statistics?.Count ?? 0);
        public int Dimension => Features is not null ? (int)Features.shape[1] : statistics!.Dimension;

        public Tensor Rows(List<int> rows) => rows.Count == Features!.shape[0] ? Features.alias()
            : Features.index_select(0, tensor(rows.Select(r => (long)r).ToArray()));

        /// <summary>Statistics of the given feature rows, or a copy of the .npz statistics; the caller disposes them.</summary>
        public FeatureStatistics StatisticsOf(List<int> rows)
        {
            if (Features is null) return statistics!.Copy();
            using var selected = Rows(rows);
            return FeatureStatistics.FromFeatures(selected);
        }

        public static Side Load(QualityInput input, IFeatureExtractor? extractor, QualityOptions options,
            IProgress<ProgressUpdate>? progress, string stage)
        {
            switch (input)
            {
                case ImagesInput images:
                    if (extractor is null) throw new ArgumentException("Images need a feature extractor.");
                    IImageSource source = images.Images;
                    if (options.ClassFilter is not null)
                    {
                        source = SubsetSource.OfClass(source, PlaneClasses.Slug(options.ClassFilter));
                        if (source.Count == 0)
                            throw new InputError($"'{input.Path}' has no images of class '{options.ClassFilter}'. Classes there: " +
                                string.Join(", ", Enumerable.Range(0, images.Images.Count).Select(images.Images.ClassAt).Distinct()) + ".");
                    }
                    if (source.Count < 2) throw new InputError($"'{input.Path}' has {source.Count} image(s); at least 2 are needed.");
                    var features = FeatureExtraction.Run(extractor, source, options.BatchSize, progress, stage);
                    return new Side
                    {
                        Path = input.Path, Description = $"{source.Description} ({source.Count} images)", Features = features,
                        Classes = Enumerable.Range(0, source.Count).Select(source.ClassAt).ToArray(), ExtractorId = extractor.Id,
                    };
                case FeaturesInput matrix:
                    if (options.ClassFilter is not null)
                        throw new InputError($"--class cannot filter '{input.Path}': a .npy feature matrix has no classes.");
                    return new Side
                    {
                        Path = input.Path, Description = $"features '{input.Path}' ({matrix.Features.shape[0]} rows)",
                        Features = matrix.Features.alias(), Classes = null, ExtractorId = null,
                    };
                case StatisticsInput stats:
                    if (options.ClassFilter is not null)
                        throw new InputError($"--class cannot filter '{input.Path}': a .npz holds statistics of one set.");
                    return new Side
                    {
                        Path = input.Path, Description = $"statistics '{input.Path}'", statistics = stats.Statistics.Copy(),
                        Classes = null, ExtractorId = stats.ExtractorId,
                    };
                default:
                    throw new ArgumentException($"Unsupported input {input.GetType().Name}.");
            }
        }

        public void Dispose()
        {
            Features?.Dispose();
            statistics?.Dispose();
        }
    }
}
