using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Memorisation;

/// <summary>
/// Does the generator reproduce training images? For every synthetic image, its nearest training image in pixel
/// space (L2 on downsampled gray pixels) and in feature space, judged against how close real images that were NOT
/// trained on (held-out) come to the training set. A synthetic image closer than the CopyPercentile-th percentile
/// of those real-vs-real distances is flagged as a likely copy.
/// </summary>
public static class MemorisationAudit
{
    public static MemorisationReport Run(IImageSource synthetic, IImageSource training, IImageSource? heldOut,
        IFeatureExtractor? extractor, MemorisationOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        if (synthetic.Count == 0) throw new InputError($"{synthetic.Description} has no images.");
        if (training.Count < 2) throw new InputError($"{training.Description} needs at least 2 images.");

        // Real reference: the held-out set against all training images, or a seeded split of the training set.
        IImageSource searchSet = training, reference;
        int[] searchRows;
        string referenceDescription;
        if (heldOut is not null)
        {
            reference = heldOut;
            searchRows = Enumerable.Range(0, training.Count).ToArray();
            referenceDescription = $"held-out {heldOut.Description} ({heldOut.Count} images) → all training images";
        }
        else
        {
            // At least 20 reference images (or half a tiny set), so the copy percentile rests on more than a handful.
            int referenceCount = Math.Max((int)Math.Round(training.Count * options.HeldOutFraction), Math.Min(20, training.Count / 2));
            if (training.Count - referenceCount < 1) throw new InputError("The training set is too small to split off a real reference.");
            using var generator = new Generator(options.Seed);
            using var permutation = randperm(training.Count, generator: generator);
            var order = permutation.data<long>().Select(i => (int)i).ToArray();
            var referenceRows = order.Take(referenceCount).OrderBy(i => i).ToList();
            searchRows = order.Skip(referenceCount).OrderBy(i => i).ToArray();
            reference = new SubsetSource(training, referenceRows, $"{referenceCount} training images held back");
            referenceDescription = $"{referenceCount} training images held back (seed {options.Seed}) → " +
                $"the other {searchRows.Length} training images (pass --held-out for real images the model never saw)";
        }

        using var trainPixels = Pixels(training, options, progress, "pixels (training)");
        using var syntheticPixels = Pixels(synthetic, options, progress, "pixels (synthetic)");
        using var referencePixels = Pixels(reference, options, progress, "pixels (real reference)");
        var (pixelDistances, pixelIndices) = NearestNeighbours.Find(syntheticPixels, trainPixels);
        double[] pixelReal = ReferenceDistances(referencePixels, trainPixels, searchRows, heldOut is null);
        var pixelSummary = Summarise("pixels", pixelDistances, pixelReal, options);

        double[]? featureDistances = null, featureReal = null;
        int[]? featureIndices = null;
        SpaceSummary? featureSummary = null;
        if (extractor is not null)
        {
            using var trainFeatures = FeatureExtraction.Run(extractor, training, options.BatchSize, progress, "features (training)");
            using var syntheticFeatures = FeatureExtraction.Run(extractor, synthetic, options.BatchSize, progress, "features (synthetic)");
            using var referenceFeatures = FeatureExtraction.Run(extractor, reference, options.BatchSize, progress, "features (real reference)");
            (featureDistances, featureIndices) = NearestNeighbours.Find(syntheticFeatures, trainFeatures);
            featureReal = ReferenceDistances(referenceFeatures, trainFeatures, searchRows, heldOut is null);
            featureSummary = Summarise("features", featureDistances, featureReal, options);
        }

        var pixelDistribution = new DistanceDistribution(pixelReal);
        var featureDistribution = featureReal is null ? null : new DistanceDistribution(featureReal);
        var matches = new List<NearestTrainingImage>(synthetic.Count);
        for (int i = 0; i < synthetic.Count; i++)
        {
            matches.Add(new NearestTrainingImage(i, synthetic.IdAt(i), synthetic.ClassAt(i),
                pixelIndices[i], training.IdAt(pixelIndices[i]), pixelDistances[i], pixelDistribution.ShareAtOrBelow(pixelDistances[i]),
                pixelDistances[i] <= pixelSummary.CopyThreshold,
                featureIndices?[i], featureIndices is null ? null : training.IdAt(featureIndices[i]), featureDistances?[i],
                featureDistances is null ? null : featureDistribution!.ShareAtOrBelow(featureDistances[i]),
                featureDistances is not null && featureDistances[i] <= featureSummary!.CopyThreshold));
        }
        return new MemorisationReport(matches, pixelSummary, featureSummary, extractor?.DisplayName, referenceDescription,
            training.Count, reference.Count, options);
    }

    private static SpaceSummary Summarise(string space, double[] synthetic, double[] real, MemorisationOptions options) =>
        new(space, synthetic, real, new DistanceDistribution(real).Percentile(options.CopyPercentile));

    /// <summary>Nearest-neighbour distances of the real reference rows among the searched training rows.</summary>
    private static double[] ReferenceDistances(Tensor referenceRows, Tensor trainRows, int[] searchRows, bool referenceIsFromTraining)
    {
        if (!referenceIsFromTraining) return NearestNeighbours.Find(referenceRows, trainRows).Distances;
        using var index = tensor(searchRows.Select(i => (long)i).ToArray());
        using var searched = trainRows.index_select(0, index);
        return NearestNeighbours.Find(referenceRows, searched).Distances;
    }

    /// <summary>All images as flattened PixelSize² gray vectors in [0,1], float32 [N x PixelSize²].</summary>
    internal static Tensor Pixels(IImageSource source, MemorisationOptions options, IProgress<ProgressUpdate>? progress, string stage)
    {
        int side = options.PixelSize;
        var result = zeros([source.Count, side * side], dtype: ScalarType.Float32);
        for (int start = 0; start < source.Count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var rows = Enumerable.Range(start, Math.Min(options.BatchSize, source.Count - start)).ToList();
            result.narrow(0, start, rows.Count).copy_(source.LoadBatch(rows, side).reshape(rows.Count, -1));
            progress?.Report(ProgressUpdate.Of(stage, start + rows.Count, source.Count));
        }
        return result;
    }
}
