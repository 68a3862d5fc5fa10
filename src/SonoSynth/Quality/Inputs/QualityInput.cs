using SonoSynth.Data;
using SonoSynth.Imaging;
using SonoSynth.Interop;
using SonoSynth.Runtime;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

/// <summary>
/// One side of a quality comparison, as named on the command line: images (a folder, a manifest CSV, a prepared
/// data set), a feature matrix (.npy, rows = images) or precomputed statistics (.npz with mu and sigma).
/// </summary>
public abstract class QualityInput : IDisposable
{
    protected QualityInput(string path) => Path = path;

    public string Path { get; }

    /// <summary>Prefix that forces a path to be opened as a prepared data set: "dataset:data/fetal_planes".</summary>
    public const string DatasetPrefix = "dataset:";

    /// <summary>
    /// Opens <paramref name="spec"/> by its form: *.npz → statistics, *.npy → features, *.csv → manifest,
    /// a folder with PNG/JPEG files → image folder, "dataset:PATH" or anything else → DataSources.Open. Image files are
    /// decoded under <paramref name="decode"/> (null: <see cref="DecodePolicy.NativeGray"/>); prepared data sets are
    /// always the training view at <paramref name="datasetImageSize"/> px.
    /// </summary>
    public static QualityInput Open(string spec, int datasetImageSize, IProgress<ProgressUpdate>? progress = null,
        DecodePolicy? decode = null)
    {
        var policy = decode ?? DecodePolicy.NativeGray;
        if (spec.StartsWith(DatasetPrefix, StringComparison.Ordinal))
            return OpenDataset(spec[DatasetPrefix.Length..], datasetImageSize, progress);
        var extension = System.IO.Path.GetExtension(spec).ToLowerInvariant();
        if (extension == ".npz") return StatisticsInput.Read(spec);
        if (extension == ".npy") return FeaturesInput.Read(spec);
        if (extension == ".csv") return new ImagesInput(spec, ImageFileSource.FromManifest(spec, policy), owner: null);
        if (Directory.Exists(spec) && ImageFileSource.FolderHasImages(spec))
            return new ImagesInput(spec, ImageFileSource.FromFolder(spec, policy), owner: null);
        if (!Directory.Exists(spec) && !File.Exists(spec))
            throw new InputError($"'{spec}' does not exist. Pass an image folder, a manifest .csv, a .npz with mu/sigma, " +
                $"a .npy feature matrix, or {DatasetPrefix}PATH for a prepared data set.");
        return OpenDataset(spec, datasetImageSize, progress);
    }

    private static ImagesInput OpenDataset(string path, int imageSize, IProgress<ProgressUpdate>? progress)
    {
        var dataset = DataSources.Open(path, imageSize, skipBad: false, progress);
        return new ImagesInput(path, new LabelledImagesSource(dataset.Images,
            $"data set '{path}', {DecodePolicy.Training(imageSize).Description}"), dataset);
    }

    public virtual void Dispose() { }
}

/// <summary>Images to run through a feature extractor.</summary>
public sealed class ImagesInput(string path, IImageSource images, IDisposable? owner) : QualityInput(path)
{
    public IImageSource Images { get; } = images;
    public override void Dispose() => owner?.Dispose();
}

/// <summary>A .npy feature matrix [N x D] (rows = images); the extractor that produced it is unknown.</summary>
public sealed class FeaturesInput : QualityInput
{
    private FeaturesInput(string path, Tensor features) : base(path) => Features = features;

    /// <summary>float64 [N x D].</summary>
    public Tensor Features { get; }

    public static FeaturesInput Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such .npy file: '{path}'.", path);
        using var stream = File.OpenRead(path);
        var features = NpyFile.ReadTensor(stream, path);
        if (features.dim() != 2)
            throw new InputError($"'{path}' has shape ({string.Join(", ", features.shape)}); a feature matrix must be 2-D (rows = images).");
        return new FeaturesInput(path, features.DetachFromDisposeScope());
    }

    public override void Dispose() => Features.Dispose();
}

/// <summary>Precomputed Gaussian statistics (.npz: mu [D], sigma [D x D], optional extractor string).</summary>
public sealed class StatisticsInput : QualityInput
{
    private StatisticsInput(string path, FeatureStatistics statistics, string? extractorId) : base(path)
    {
        Statistics = statistics;
        ExtractorId = extractorId;
    }

    public FeatureStatistics Statistics { get; }

    /// <summary>The extractor recorded by `sonosynth fid stats`; null for files from other tools (e.g. pytorch-fid).</summary>
    public string? ExtractorId { get; }

    public static StatisticsInput Read(string path)
    {
        using var npz = NpzFile.Read(path);
        if (!npz.Arrays.TryGetValue("mu", out var mu) || !npz.Arrays.TryGetValue("sigma", out var sigma))
            throw new InputError($"'{path}' needs arrays 'mu' and 'sigma' (as pytorch-fid's --save-stats writes); " +
                $"it has: {string.Join(", ", npz.Arrays.Keys.Concat(npz.Strings.Keys))}.");
        long count = npz.Arrays.TryGetValue("count", out var n) ? (long)n.item<double>() : 0;
        var statistics = new FeatureStatistics(mu.reshape(-1), sigma.dim() == 0 ? sigma.reshape(1, 1) : sigma, count);
        return new StatisticsInput(path, statistics, npz.Strings.GetValueOrDefault("extractor"));
    }

    public override void Dispose() => Statistics.Dispose();
}
