using System.Globalization;
using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// The one owner of a classifier run's folder, as <c>classify train</c> and the experiment's classifier cells leave it:
/// <c>train-settings.json</c> (<see cref="RunSettings"/>; <c>classify train</c> only), <c>regime.json</c>
/// (<see cref="RegimeSummary"/>, written when the run finishes), <c>predictions.csv</c>, one sub-folder per phase
/// (<see cref="ImageClassifierTrainer"/>'s files) and the choice of the weights the predictions came from.
/// Everything else asks this class instead of spelling file names or JSON keys.
/// </summary>
public sealed class RunFolder(string folder)
{
    public const string SettingsFile = "train-settings.json";
    public const string SummaryFile = "regime.json";
    public const string PredictionsFile = "predictions.csv";

    private static readonly JsonSerializerOptions SettingsJson = new() { WriteIndented = true };
    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Folder { get; } = folder;
    public string SettingsPath => Path.Combine(Folder, SettingsFile);
    public string SummaryPath => Path.Combine(Folder, SummaryFile);
    public string PredictionsPath => Path.Combine(Folder, PredictionsFile);

    public bool HasSettings => File.Exists(SettingsPath);

    /// <summary>True once the run has written regime.json (its predictions and their weights are final).</summary>
    public bool IsFinished => File.Exists(SummaryPath);

    /// <summary>Whether <paramref name="folder"/> holds a run (started by <c>classify train</c>, or a finished experiment cell).</summary>
    public static bool Holds(string folder) => File.Exists(Path.Combine(folder, SettingsFile)) || File.Exists(Path.Combine(folder, SummaryFile));

    public string PhaseFolder(string phase) => Path.Combine(Folder, phase);

    public RunSettings ReadSettings()
    {
        if (!HasSettings)
            throw new InputError($"'{Folder}' is not a 'classify train' output folder (no {SettingsFile}).");
        Dictionary<string, string>? entries;
        try { entries = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SettingsPath)); }
        catch (JsonException e) { throw new InputError($"'{SettingsPath}' is not valid settings JSON ({e.Message}); it was not written by 'classify train'.", e); }
        return RunSettings.FromEntries(entries ?? throw new InputError($"'{SettingsPath}' is empty."), SettingsPath);
    }

    /// <summary>
    /// Records the settings of a run about to start. A folder that already holds a run is refused unless
    /// <paramref name="resume"/> is set and the settings are the same, because a resumed run must continue the same experiment.
    /// </summary>
    public void PinSettings(RunSettings settings, bool resume)
    {
        if (HasSettings)
        {
            if (!resume)
                throw new InputError($"'{Folder}' already holds a run. Pass --resume to continue it, or choose another --out folder.");
            var changed = settings.ChangedFrom(ReadSettings());
            if (changed.Count > 0)
                throw new InputError($"--resume with different settings than the run in '{Folder}' ({string.Join(", ", changed)}). " +
                    "Use the original settings, or choose another --out folder.");
        }
        AtomicFile.WriteAllText(SettingsPath, JsonSerializer.Serialize(settings.Entries, SettingsJson));
    }

    public RegimeSummary ReadSummary()
    {
        if (!IsFinished)
            throw new InputError($"The run in '{Folder}' has not finished (no {SummaryFile}). Finish it with 'classify train --resume'.");
        RegimeSummary? summary;
        try { summary = JsonSerializer.Deserialize<RegimeSummary>(File.ReadAllText(SummaryPath), SummaryJson); }
        catch (JsonException e) { throw new InputError($"'{SummaryPath}' is not valid ({e.Message}). Finish the run again with 'classify train --resume'.", e); }
        if (summary is null) throw new InputError($"'{SummaryPath}' is empty.");
        // Hand-made or very old summaries may lack the phase list.
        return summary.Phases is null ? summary with { Phases = [] } : summary;
    }

    public void WriteSummary(RegimeSummary summary) =>
        AtomicFile.WriteAllText(SummaryPath, JsonSerializer.Serialize(summary, SummaryJson));

    /// <summary>The weights a finished run predicted with (named in its regime.json), e.g. to reuse it as a base model.</summary>
    public string PredictionWeightsPath
    {
        get
        {
            var summary = ReadSummary();
            return !string.IsNullOrEmpty(summary.PredictionWeights) ? Path.Combine(Folder, summary.PredictionWeights)
                : throw new InputError($"'{SummaryPath}' names no predictionWeights; finish the run with 'classify train --resume'.");
        }
    }

    public PredictionTable ReadPredictions() => PredictionTable.Read(PredictionsPath);

    /// <summary>Each phase's result in regime.json's order, or null while a phase has not finished.</summary>
    public IReadOnlyList<(string Phase, TrainingResult Result)>? ReadPhaseResults()
    {
        var phases = new List<(string, TrainingResult)>();
        foreach (var phase in ReadSummary().Phases)
        {
            if (ImageClassifierTrainer.ReadResult(PhaseFolder(phase.Phase)) is not { } result) return null;
            phases.Add((phase.Phase, result));
        }
        return phases;
    }

    /// <summary>
    /// The architecture and image size of the run's model: from train-settings.json, or for an experiment cell
    /// (which has none) from regime.json.
    /// </summary>
    public (string Architecture, int ImageSize) ReadModelShape()
    {
        if (HasSettings)
        {
            var settings = ReadSettings();
            return (settings.Architecture, settings.ImageSize);
        }
        var summary = ReadSummary();
        if (summary.Architecture is { } architecture && summary.ImageSize is int imageSize) return (architecture, imageSize);
        throw new InputError($"'{SummaryPath}' does not name the model's architecture and image size (it was written before SonoSynth " +
            $"recorded them) and '{Folder}' has no {SettingsFile}. Delete the cell's folder and rerun the experiment to retrain it, " +
            "or pass a 'classify train' run folder.");
    }

    /// <summary>A finished run's model with the weights it predicted with, moved to <paramref name="device"/>.</summary>
    public ImageClassifier LoadModel(string architecture, ClassifierConfig options, Device device)
    {
        var model = ClassifierRegistry.Create(architecture, options);
        try
        {
            ImageClassifierTrainer.LoadWeights(model, PredictionWeightsPath);
            model.to(device);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The finished run as a model bundle, moved to <paramref name="device"/> in eval mode: architecture and image size
    /// from its settings (<see cref="ReadModelShape"/>), class names from predictions.csv, weights from regime.json's choice.
    /// </summary>
    public ModelBundle LoadBundle(Device? device = null)
    {
        if (!Holds(Folder))
            throw new InputError($"'{Folder}' is not a 'classify train' output folder or an experiment classifier cell (no {SettingsFile} " +
                $"or {SummaryFile}). Pass a {ModelBundle.Extension} file or a run folder.");
        var summary = ReadSummary();
        var (architecture, imageSize) = ReadModelShape();
        var details = HasSettings ? ReadSettings().Provenance()
            : new Dictionary<string, string> { ["regime"] = summary.Regime, ["seed"] = summary.ModelSeed.ToString(CultureInfo.InvariantCulture) };
        var weights = PredictionWeightsPath;
        // predictions.csv keeps slugs in its p_ columns; the paper's planes get their display names back.
        var classNames = ReadPredictions().ClassNames
            .Select(name => PlaneClasses.Names.FirstOrDefault(plane => PlaneClasses.Slug(plane) == PlaneClasses.Slug(name)) ?? name).ToList();
        var provenance = new Dictionary<string, string>(details) { ["weights"] = Path.GetRelativePath(Folder, weights) };
        var info = new ModelBundleInfo(ModelBundleInfo.CurrentFormatVersion, architecture, 1, classNames.Count, imageSize,
            [.. classNames], Preprocessing.Training(imageSize), new Provenance(Path.GetFullPath(Folder), File.GetLastWriteTimeUtc(SummaryPath), provenance));
        return ModelBundle.Create(info, Folder, model => ImageClassifierTrainer.LoadWeights(model, weights), device);
    }

    /// <summary>
    /// The weights of a finished phase that predictions come from: the epoch the validation split chose when there
    /// was one, else the best test epoch (the paper's choice).
    /// </summary>
    public static string ChoosePredictionWeights(string phaseFolder)
    {
        var selected = Path.Combine(phaseFolder, ImageClassifierTrainer.SelectedWeightsFile);
        return File.Exists(selected) ? selected : Path.Combine(phaseFolder, ImageClassifierTrainer.BestTestWeightsFile);
    }
}
