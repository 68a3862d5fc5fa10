using System.IO.Compression;
using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// A self-describing model file (<c>.sonomodel</c>): a zip holding <c>model.json</c> (<see cref="ModelBundleInfo"/>)
/// and <c>weights.bin</c> (TorchSharp's state-dict format). Like nanoGPT's checkpoints it stores the model
/// arguments, so loading rebuilds the same model. A <c>classify train</c> run folder loads as is.
/// </summary>
public sealed class ModelBundle : IDisposable
{
    public const string Extension = ".sonomodel";
    private const string InfoEntry = "model.json";
    private const string WeightsEntry = "weights.bin";
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private ModelBundle(ImageClassifier model, ModelBundleInfo info) { Model = model; Info = info; }

    /// <summary>The classifier in eval mode, on the device it was loaded to.</summary>
    public ImageClassifier Model { get; }

    public ModelBundleInfo Info { get; }

    public IReadOnlyList<string> ClassNames => Info.ClassNames;

    /// <summary>
    /// Writes <paramref name="model"/> with its metadata atomically (temp file + rename). The architecture is the
    /// model's registry name (its module name) unless <paramref name="architecture"/> is given.
    /// </summary>
    public static ModelBundleInfo Save(string path, ImageClassifier model, IReadOnlyList<string> classNames,
        Provenance? provenance = null, string? architecture = null)
    {
        architecture ??= model.GetName();
        provenance ??= Provenance.Now("saved");
        if (!ClassifierRegistry.Contains(architecture))
            throw new ArgumentException($"Unknown architecture '{architecture}'. Choose one of: {string.Join(", ", ClassifierRegistry.Names)}.");
        if (classNames.Count != model.Options.NumClasses)
            throw new ArgumentException($"{classNames.Count} class names for a model with {model.Options.NumClasses} outputs.");
        var options = model.Options;
        var info = new ModelBundleInfo(ModelBundleInfo.CurrentFormatVersion, architecture, options.InChannels, options.NumClasses,
            options.ImageSize, [.. classNames], Preprocessing.Training(options.ImageSize), provenance);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var infoStream = zip.CreateEntry(InfoEntry).Open())
                JsonSerializer.Serialize(infoStream, info, JsonOptions);
            using var weightsStream = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open();
            using var writer = new BinaryWriter(weightsStream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });
        return info;
    }

    /// <summary>
    /// Loads a bundle file, or a finished <c>classify train</c> run folder or experiment classifier cell
    /// (see <see cref="FromRunFolder"/>), onto <paramref name="device"/> in eval mode.
    /// </summary>
    public static ModelBundle Load(string path, Device? device = null)
    {
        var bundle = Directory.Exists(path) ? FromRunFolder(path) : LoadFile(path);
        if (device is not null && device.type != DeviceType.CPU) bundle.Model.to(device);
        bundle.Model.eval();
        return bundle;
    }

    private static ModelBundle LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new InputError($"Model '{path}' does not exist. Pass a {Extension} file (from 'sonosynth model export --format bundle') or a 'classify train' output folder.");
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw new InputError($"Model '{path}' is not a SonoSynth model bundle (not a zip with model.json and weights.bin). Pass a {Extension} file or a 'classify train' output folder."); }
        using (zip)
        {
            var infoEntry = zip.GetEntry(InfoEntry) ?? throw new InputError($"Model '{path}' has no {InfoEntry}; it is not a SonoSynth model bundle.");
            var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InputError($"Model '{path}' has no {WeightsEntry}; the bundle is incomplete. Export it again.");
            ModelBundleInfo info;
            try
            {
                using var infoStream = infoEntry.Open();
                info = JsonSerializer.Deserialize<ModelBundleInfo>(infoStream)
                    ?? throw new InputError($"Model '{path}': {InfoEntry} is empty.");
            }
            catch (JsonException e) { throw new InputError($"Model '{path}': {InfoEntry} is not valid ({e.Message}). Export the bundle again.", e); }
            if (info.FormatVersion > ModelBundleInfo.CurrentFormatVersion)
                throw new InputError($"Model '{path}' has bundle format {info.FormatVersion}; this SonoSynth reads up to {ModelBundleInfo.CurrentFormatVersion}. Update SonoSynth.");
            var model = Build(info, path);
            try
            {
                using var buffer = new MemoryStream();
                using (var weightsStream = weightsEntry.Open()) weightsStream.CopyTo(buffer);
                buffer.Position = 0;
                using var reader = new BinaryReader(buffer);
                model.load(reader);
            }
            catch (Exception e) when (e is not InputError)
            {
                model.Dispose();
                throw new InputError($"Model '{path}': the weights do not match a {info.Architecture} with {info.NumClasses} classes at {info.ImageSize} px ({e.Message}). Export the bundle again.", e);
            }
            return new ModelBundle(model, info);
        }
    }

    /// <summary>
    /// Reads a finished <c>classify train</c> run folder or experiment classifier cell (<see cref="RunFolder"/>):
    /// architecture and image size from its settings, class names from predictions.csv, weights from regime.json's choice.
    /// </summary>
    public static ModelBundle FromRunFolder(string folder)
    {
        var run = new RunFolder(folder);
        if (!RunFolder.Holds(folder))
            throw new InputError($"'{folder}' is not a 'classify train' output folder or an experiment classifier cell (no {RunFolder.SettingsFile} " +
                $"or {RunFolder.SummaryFile}). Pass a {Extension} file or a run folder.");
        var summary = run.ReadSummary();
        var (architecture, imageSize) = run.ReadModelShape();
        var details = run.HasSettings ? run.ReadSettings().Provenance()
            : new Dictionary<string, string> { ["regime"] = summary.Regime, ["seed"] = summary.ModelSeed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var weights = run.PredictionWeightsPath;
        // predictions.csv keeps slugs in its p_ columns; the paper's planes get their display names back.
        var classNames = run.ReadPredictions().ClassNames
            .Select(name => PlaneClasses.Names.FirstOrDefault(plane => PlaneClasses.Slug(plane) == PlaneClasses.Slug(name)) ?? name).ToList();
        var provenance = new Dictionary<string, string>(details) { ["weights"] = Path.GetRelativePath(folder, weights) };
        var info = new ModelBundleInfo(ModelBundleInfo.CurrentFormatVersion, architecture, 1, classNames.Count, imageSize,
            [.. classNames], Preprocessing.Training(imageSize), new Provenance(Path.GetFullPath(folder), File.GetLastWriteTimeUtc(run.SummaryPath), provenance));
        var model = Build(info, folder);
        try { ImageClassifierTrainer.LoadWeights(model, weights); }
        catch { model.Dispose(); throw; }
        return new ModelBundle(model, info);
    }

    private static ImageClassifier Build(ModelBundleInfo info, string source)
    {
        if (!ClassifierRegistry.Contains(info.Architecture))
            throw new InputError($"Model '{source}' is a '{info.Architecture}', which this SonoSynth does not know. Known: {string.Join(", ", ClassifierRegistry.Names)}.");
        if (info.ClassNames.Count != info.NumClasses)
            throw new InputError($"Model '{source}' lists {info.ClassNames.Count} class names for {info.NumClasses} outputs; the file is inconsistent.");
        return ClassifierRegistry.Create(info.Architecture, info.Options);
    }

    public void Dispose() => Model.Dispose();
}
