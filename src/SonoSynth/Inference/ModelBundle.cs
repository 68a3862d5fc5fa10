using System.IO.Compression;
using System.Text.Json;
using SonoSynth.IO;
using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// A self-describing model file (<c>.sonomodel</c>): a zip holding <c>model.json</c> (<see cref="ModelBundleInfo"/>)
/// and <c>weights.bin</c> (TorchSharp's state-dict format). Like nanoGPT's checkpoints it stores the model
/// arguments, so loading rebuilds the same model.
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
    /// Loads a bundle file onto <paramref name="device"/> in eval mode. A finished <c>classify train</c> run folder or
    /// experiment classifier cell is Training's to read: <c>Training.TrainedModel.Load</c> takes either.
    /// </summary>
    public static ModelBundle Load(string path, Device? device = null)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"'{path}' is a folder; a run folder loads through Training.TrainedModel.Load.", nameof(path));
        return LoadFile(path).Ready(device);
    }

    private ModelBundle Ready(Device? device)
    {
        if (device is not null && device.type != DeviceType.CPU) Model.to(device);
        Model.eval();
        return this;
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
    /// A bundle whose weights come from elsewhere, e.g. a finished training run (<c>Training.RunFolder.LoadBundle</c>):
    /// builds the model <paramref name="info"/> describes, lets <paramref name="loadWeights"/> fill it and moves it to
    /// <paramref name="device"/> in eval mode. <paramref name="source"/> names the model in errors.
    /// </summary>
    public static ModelBundle Create(ModelBundleInfo info, string source, Action<ImageClassifier> loadWeights, Device? device = null)
    {
        var model = Build(info, source);
        try { loadWeights(model); }
        catch { model.Dispose(); throw; }
        return new ModelBundle(model, info).Ready(device);
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
