using SonoSynth.IO;
using SonoSynth.Runtime;
using static TorchSharp.torch;

namespace SonoSynth.Experiments;

/// <summary>Which cells one invocation runs, and the folder it must hold the lock of while it does.</summary>
/// <param name="Only">Null = every unfinished cell (of <paramref name="Stage"/>, if given).</param>
public sealed record CellSelection(ExperimentStage? Stage, IReadOnlyCollection<string>? Only, string LockedFolder);

/// <summary>
/// One invocation on an experiment folder (`experiment run`, a Slurm array task, `demo`): pins the config beside the
/// cells, chooses the cells, locks what it writes and runs them. The CLI only parses options and prints.
/// </summary>
public static class ExperimentSession
{
    /// <summary>
    /// Copies the config into the experiment folder on the first run; a later run with a different config is refused,
    /// because finished cells would silently mix two experiments.
    /// </summary>
    public static void PinConfig(string folder, string configText)
    {
        var copy = ExperimentLayout.ConfigPath(folder);
        if (File.Exists(copy) && File.ReadAllText(copy) != configText)
            throw new InputError($"'{folder}' holds an experiment with a different config ({copy}). " +
                "Use another --out folder, or delete that folder to start over.");
        if (!File.Exists(copy)) AtomicFile.WriteAllText(copy, configText);
    }

    /// <summary>
    /// Every cell (or those of <paramref name="stage"/>); with <paramref name="cellIndex"/> only the stage's cell at that
    /// index in Slurm's array order. A whole run owns the experiment folder; one cell (a Slurm array task) owns only its
    /// cell folder, so the tasks of a stage can run side by side.
    /// </summary>
    public static CellSelection Select(IReadOnlyList<ExperimentCell> cells, string folder, ExperimentStage? stage, int? cellIndex)
    {
        if (stage is null || cellIndex is null) return new(stage, null, folder);
        var stageCells = SlurmSubmission.Stages(cells).FirstOrDefault(s => s.Stage == stage).Cells ?? [];
        if (cellIndex < 0 || cellIndex >= stageCells.Count)
            throw new InputError($"--index {cellIndex} is outside 0..{stageCells.Count - 1} for stage {stage}.");
        var cell = stageCells[cellIndex.Value].Id;
        return new(stage, [cell], ExperimentLayout.CellFolder(folder, cell));
    }

    /// <summary>Pins the config, locks, and runs the selected unfinished cells; one outcome per cell considered.</summary>
    public static IReadOnlyList<GridRunner.CellOutcome> Run(ExperimentConfig config, string configText, string folder, Device device,
        ExperimentStage? stage, int? cellIndex, IProgress<ProgressUpdate>? progress)
    {
        var cells = new ExperimentPlan(config, device).Cells();
        var selection = Select(cells, folder, stage, cellIndex);
        Directory.CreateDirectory(folder);
        PinConfig(folder, configText);
        using var folderLock = OutputFolderLock.Acquire(selection.LockedFolder);
        return new GridRunner(folder, cells).Run(progress, selection.Stage, selection.Only);
    }
}
