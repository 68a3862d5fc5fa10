using System.Text.Json;
using System.Text.Json.Serialization;
using SonoSynth.IO;

namespace SonoSynth.Experiments;

/// <summary>
/// What an experiment folder holds and what everything in it is called: <c>config.yaml</c> (the pinned config),
/// <c>cells/&lt;cell id&gt;/</c> (one folder per cell, finished when its <c>done.json</c> exists, <c>error.txt</c> when
/// it failed), <c>report/</c> and <c>slurm/</c>. Cell ids are path-like ("n30/classify/resnet50/real-only/seed0");
/// a data-scarcity study prefixes its cells with <see cref="StudyLevel.Cell"/>.
/// </summary>
public static class ExperimentLayout
{
    public const string ConfigFile = "config.yaml";
    public const string CellsFolderName = "cells";
    public const string DoneFile = "done.json";
    public const string ErrorFile = "error.txt";
    public const string ReportFolderName = "report";
    public const string ReportMarkdownFile = "report.md";
    public const string ReportHtmlFile = "report.html";
    public const string SlurmFolderName = "slurm";

    // Cell ids. Every study has its own diffusion, sampling, quality, classifier and ensemble cells; data and the judge are shared.
    public const string DataCell = "data";
    public const string JudgeCell = "quality/judge";
    public static string DiffusionCell(StudyLevel level) => level.Cell("diffusion/unet");
    public static string GuidanceCell(StudyLevel level) => level.Cell("diffusion/classifier");
    public static string EnsembleCell(StudyLevel level) => level.Cell("ensembles");
    public static string SyntheticCell(string name, StudyLevel level) => level.Cell($"synthetic/{name}");
    public static string ComparisonCell(string method, StudyLevel level) => level.Cell($"comparisons/{method}");
    public static string QualityCell(string name, StudyLevel level) => level.Cell($"quality/{name}");

    public static string ClassifierCell(string architecture, ClassifierRunSettings run, int seed, StudyLevel level) =>
        level.Cell($"classify/{architecture}/{RunKey(run)}/seed{seed}");

    /// <summary>Folder-safe key of a classifier run: regime, synthetic sets and augmentations.</summary>
    public static string RunKey(ClassifierRunSettings run)
    {
        var key = ConfigNames.Name(run.Regime);
        if (run.Synthetic != "") key += "_" + run.Synthetic.Replace('+', '-');
        if (run.PretrainAugment != "none") key += "_pre-" + run.PretrainAugment.Replace(',', '-');
        if (run.Augment != "none") key += "_aug-" + run.Augment.Replace(',', '-');
        return key;
    }

    public static string ConfigPath(string experimentFolder) => Path.Combine(experimentFolder, ConfigFile);
    public static string CellsFolder(string experimentFolder) => Path.Combine(experimentFolder, CellsFolderName);
    public static string ReportFolder(string experimentFolder) => Path.Combine(experimentFolder, ReportFolderName);
    public static string SlurmFolder(string experimentFolder) => Path.Combine(experimentFolder, SlurmFolderName);

    public static string CellFolder(string experimentFolder, string cellId) =>
        Path.Combine(CellsFolder(experimentFolder), cellId.Replace('/', Path.DirectorySeparatorChar));

    public static string DoneMarker(string experimentFolder, string cellId) => Path.Combine(CellFolder(experimentFolder, cellId), DoneFile);
    public static string ErrorPath(string experimentFolder, string cellId) => Path.Combine(CellFolder(experimentFolder, cellId), ErrorFile);

    public static bool IsDone(string experimentFolder, string cellId) => File.Exists(DoneMarker(experimentFolder, cellId));

    /// <summary>Marks a cell finished (atomically: a killed write leaves no marker).</summary>
    public static void WriteDone(string experimentFolder, CellDone done) =>
        AtomicFile.WriteAllText(DoneMarker(experimentFolder, done.Cell), JsonSerializer.Serialize(done));

    public static CellDone ReadDone(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CellDone>(File.ReadAllText(path))
                ?? throw new InputError($"'{path}' is empty. Delete it to run that cell again.");
        }
        catch (JsonException e)
        {
            throw new InputError($"'{path}' is not a done marker ({e.Message}). Delete it to run that cell again.", e);
        }
    }

    /// <summary>Every finished cell's marker under <c>cells/</c> (none before the first cell finished).</summary>
    public static IReadOnlyList<CellDone> FinishedCells(string experimentFolder)
    {
        var cells = CellsFolder(experimentFolder);
        return Directory.Exists(cells)
            ? Directory.EnumerateFiles(cells, DoneFile, SearchOption.AllDirectories).Select(ReadDone).ToList()
            : [];
    }
}

/// <summary><c>done.json</c>: a cell finished, in which stage, when and after how many seconds of running.</summary>
public sealed record CellDone(
    [property: JsonPropertyName("cell")] string Cell,
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("finishedUtc")] DateTime FinishedUtc,
    [property: JsonPropertyName("seconds")] double Seconds);
