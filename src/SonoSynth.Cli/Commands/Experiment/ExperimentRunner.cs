using SonoSynth.Cli.Console;
using SonoSynth.Experiments;
using SonoSynth.IO;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Experiment;

/// <summary>Shared by `experiment run` and `demo`: lock the folder, keep the config beside the cells, run, report.</summary>
public static class ExperimentRunner
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

    public static int Run(ExperimentConfig config, string configText, string folder, string deviceName, ExperimentStage? stage = null,
        int? cellIndex = null, bool writeReport = true)
    {
        var device = TorchRuntime.ResolveDevice(deviceName);
        var cells = new ExperimentPlan(config, device).Cells();
        IReadOnlyCollection<string>? only = null;
        // A whole run owns the experiment folder; one cell (a Slurm array task) owns only its cell folder, so the
        // tasks of a stage can run side by side.
        var lockedFolder = folder;
        if (stage is not null && cellIndex is not null)
        {
            var stageCells = SlurmSubmission.Stages(cells).FirstOrDefault(s => s.Stage == stage).Cells ?? [];
            if (cellIndex < 0 || cellIndex >= stageCells.Count)
                throw new InputError($"--index {cellIndex} is outside 0..{stageCells.Count - 1} for stage {stage}.");
            only = [stageCells[cellIndex.Value].Id];
            lockedFolder = ExperimentLayout.CellFolder(folder, stageCells[cellIndex.Value].Id);
        }
        Directory.CreateDirectory(folder);
        PinConfig(folder, configText);
        using var folderLock = OutputFolderLock.Acquire(lockedFolder);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = ProgressDisplay.Run(progress => new GridRunner(folder, cells).Run(progress, stage, only));
        var table = new Table().AddColumns("cell", "status", "time", "note");
        foreach (var outcome in outcomes)
            table.AddRow(Markup.Escape(outcome.Id), outcome.Status switch
            {
                "ran" => "[green]ran[/]",
                "done-before" => "[grey]done before[/]",
                "failed" => "[red]failed[/]",
                _ => "[yellow]skipped[/]",
            }, outcome.Seconds > 0 ? TimeSpan.FromSeconds(outcome.Seconds).ToString(@"m\:ss") : "", Markup.Escape(outcome.Error ?? ""));
        AnsiConsole.Write(table);
        if (writeReport && stage is null)
        {
            var html = new ExperimentReport(config, folder).Write($"Run on {deviceName}, {Environment.ProcessorCount} logical cores; this invocation took {clock.Elapsed:h\\:mm\\:ss}.");
            AnsiConsole.MarkupLine($"Report: [link]{Markup.Escape(html)}[/] (and report.md beside it)");
        }
        var failed = outcomes.Count(o => o.Status == "failed");
        if (failed > 0)
        {
            AnsiConsole.MarkupLine($"[red]{failed} cell(s) failed[/]; their error.txt is in the cell folder. Fix the cause and run the same command again: finished cells are kept.");
            return 1;
        }
        return 0;
    }
}
