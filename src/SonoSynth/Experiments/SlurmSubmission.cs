using System.Text;

namespace SonoSynth.Experiments;

/// <summary>
/// Turns an experiment grid into Slurm job arrays, one per stage, each depending (afterok) on the stage before.
/// Array task i runs the i-th cell of its stage through the same CLI and the same cell folders as a local run,
/// so a grid can start on a laptop and finish on a cluster, or the other way round.
/// </summary>
public static class SlurmSubmission
{
    /// <summary>Cells of each stage in run order (the array index of a cell is its position here).</summary>
    public static IReadOnlyList<(ExperimentStage Stage, IReadOnlyList<ExperimentCell> Cells)> Stages(IReadOnlyList<ExperimentCell> cells) =>
        GridRunner.Order(cells).GroupBy(c => c.Stage).OrderBy(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<ExperimentCell>)g.ToList())).ToList();

    /// <summary>
    /// Writes <c>slurm/&lt;stage&gt;.sbatch</c> per stage and <c>slurm/submit.sh</c>, which submits them in order
    /// with dependencies. <paramref name="runCellCommand"/> is the shell command that runs one cell given
    /// "$STAGE" and "$SLURM_ARRAY_TASK_ID" (e.g. the sonosynth CLI with the config path). Returns submit.sh's path.
    /// </summary>
    public static string WriteScripts(string experimentFolder, IReadOnlyList<ExperimentCell> cells, string runCellCommand, SlurmOptions options)
    {
        var folder = ExperimentLayout.SlurmFolder(experimentFolder);
        Directory.CreateDirectory(folder);
        var submit = new StringBuilder();
        submit.AppendLine("#!/usr/bin/env bash");
        submit.AppendLine("# Submits the experiment grid as one Slurm job array per stage; each stage waits for the previous one.");
        submit.AppendLine("set -euo pipefail");
        submit.AppendLine("cd \"$(dirname \"$0\")\"");
        submit.AppendLine("previous=\"\"");
        foreach (var (stage, stageCells) in Stages(cells))
        {
            var pending = stageCells.Count;
            var name = stage.ToString().ToLowerInvariant();
            var script = new StringBuilder();
            script.AppendLine("#!/usr/bin/env bash");
            script.AppendLine($"#SBATCH --job-name=sonosynth-{name}");
            script.AppendLine($"#SBATCH --array=0-{pending - 1}{(options.MaxParallel > 0 ? $"%{options.MaxParallel}" : "")}");
            script.AppendLine($"#SBATCH --cpus-per-task={options.CpusPerTask}");
            script.AppendLine($"#SBATCH --mem={options.MemoryPerTask}");
            script.AppendLine($"#SBATCH --time={options.TimeLimit}");
            script.AppendLine($"#SBATCH --output={Path.GetFullPath(folder)}/{name}-%A_%a.log");
            if (options.Partition != "") script.AppendLine($"#SBATCH --partition={options.Partition}");
            if (options.Gres != "") script.AppendLine($"#SBATCH --gres={options.Gres}");
            script.AppendLine("set -euo pipefail");
            script.AppendLine($"STAGE={name}");
            script.AppendLine("# Cells of this stage, by array index:");
            for (int i = 0; i < stageCells.Count; i++) script.AppendLine($"#   {i}: {stageCells[i].Id}");
            script.AppendLine(runCellCommand);
            var scriptPath = Path.Combine(folder, $"{(int)stage}-{name}.sbatch");
            IO.AtomicFile.WriteAllText(scriptPath, script.ToString());
            submit.AppendLine($"dependency=${{previous:+--dependency=afterok:$previous}}");
            submit.AppendLine($"previous=$(sbatch --parsable $dependency {Path.GetFileName(scriptPath)})");
            submit.AppendLine($"echo \"{name}: job $previous ({pending} cells)\"");
        }
        var submitPath = Path.Combine(folder, "submit.sh");
        IO.AtomicFile.WriteAllText(submitPath, submit.ToString());
        File.SetUnixFileMode(submitPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return submitPath;
    }
}
