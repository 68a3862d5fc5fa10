using System.CommandLine;
using SonoSynth.Cli.Commands.Experiment;
using SonoSynth.Experiments;
using SonoSynth.Models;
using Spectre.Console;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth experiment ...`: the paper's tables as a resumable grid, on one machine or on Slurm.</summary>
public static class ExperimentCommands
{
    public static Command Create()
    {
        var group = new Command("experiment",
            "Run the paper's study as a grid of cells from a config file (configs/paper/*.yaml at paper scale, configs/cpu/*.yaml " +
            "scaled down), resume it after a crash, write the report, or hand the grid to Slurm.");
        group.Subcommands.Add(RunCommand());
        group.Subcommands.Add(ReportCommand());
        group.Subcommands.Add(SubmitCommand());
        group.Subcommands.Add(ValidateCommand());
        return group;
    }

    private static Argument<string> ConfigArgument() => new("config") { Description = "Experiment config (YAML or JSON); see configs/README.md." };

    private static Option<string> OutOption() => new("--out")
    {
        Description = "Experiment folder (cells, report). Default: runs/<config name>.",
    };

    internal static (ExperimentConfig Config, string Text) Load(string path)
    {
        var config = ExperimentConfigLoader.Load(path);
        var problems = ExperimentConfigLoader.Validate(config, ClassifierRegistry.Names);
        if (problems.Count > 0) throw new InputError($"{path} is not a valid experiment:\n  - " + string.Join("\n  - ", problems));
        return (config, File.ReadAllText(path));
    }

    private static Command RunCommand()
    {
        var config = ConfigArgument();
        var output = OutOption();
        var stage = new Option<string?>("--stage") { Description = "Run only this stage (data, diffusion, guidanceclassifier, sampling, quality, classifiers, ensembles)." };
        var index = new Option<int?>("--index") { Description = "With --stage: run only the cell with this index in the stage (what a Slurm array task does)." };
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var command = new Command("run", "Run every unfinished cell in dependency order, then write the report. A killed run resumes where it " +
            "stopped; finished cells are never recomputed. Example: sonosynth experiment run configs/cpu/table7.yaml --out runs/t7")
        { config, output, stage, index, device, threads };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            CommandAction.ConfigureThreads(parse.GetValue(threads));
            var (loaded, text) = Load(parse.GetValue(config)!);
            var folder = parse.GetValue(output) ?? Path.Combine("runs", loaded.Name);
            return ExperimentRunner.Run(loaded, text, folder, parse.GetValue(device)!, ParseStage(parse.GetValue(stage)), parse.GetValue(index));
        }));
        return command;
    }

    private static ExperimentStage? ParseStage(string? name)
    {
        if (name is null) return null;
        if (Enum.TryParse<ExperimentStage>(name, ignoreCase: true, out var stage)) return stage;
        throw new InputError($"--stage '{name}' is not one of {string.Join(", ", Enum.GetNames<ExperimentStage>().Select(n => n.ToLowerInvariant()))}.");
    }

    private static Command ReportCommand()
    {
        var folder = new Argument<string>("folder") { Description = "An experiment folder written by 'experiment run'." };
        var command = new Command("report", "Write report.md and a self-contained report.html for an experiment folder (finished or not). " +
            "Example: sonosynth experiment report runs/demo") { folder };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var path = parse.GetValue(folder)!;
            var configPath = ExperimentLayout.ConfigPath(path);
            if (!File.Exists(configPath)) throw new InputError($"'{path}' is not an experiment folder (no {ExperimentLayout.ConfigFile}).");
            var html = new ExperimentReport(ExperimentConfigLoader.Load(configPath), path).Write();
            AnsiConsole.MarkupLine($"Report: {Markup.Escape(html)}");
            return 0;
        }));
        return command;
    }

    private static Command SubmitCommand()
    {
        var config = ConfigArgument();
        var output = OutOption();
        var slurm = new Option<bool>("--slurm") { Description = "Submit with sbatch (one job array per stage, chained with afterok). Without it, only write the scripts." };
        var partition = new Option<string>("--partition") { Description = "Slurm partition.", DefaultValueFactory = _ => "" };
        var time = new Option<string>("--time") { Description = "Time limit per cell.", DefaultValueFactory = _ => "24:00:00" };
        var cpus = new Option<int>("--cpus-per-task") { DefaultValueFactory = _ => 2 };
        var memory = new Option<string>("--mem") { Description = "Memory per cell.", DefaultValueFactory = _ => "8G" };
        var gres = new Option<string>("--gres") { Description = "Generic resources, e.g. gpu:1 (then use --device cuda).", DefaultValueFactory = _ => "" };
        var device = SharedOptions.Device();
        var command = new Command("submit", "Turn the grid into Slurm job arrays over the same cell folders, so a run can move between a " +
            "laptop and a cluster. Example: sonosynth experiment submit configs/paper/table7.yaml --out /scratch/t7 --slurm --gres gpu:1 --device cuda")
        { config, output, slurm, partition, time, cpus, memory, gres, device };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var configPath = Path.GetFullPath(parse.GetValue(config)!);
            var (loaded, text) = Load(configPath);
            var folder = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine("runs", loaded.Name));
            Directory.CreateDirectory(folder);
            ExperimentSession.PinConfig(folder, text);
            var cells = new ExperimentPlan(loaded).Cells();
            var runCell = $"{CliInvocation()} experiment run '{configPath}' --out '{folder}' --device {parse.GetValue(device)} " +
                $"--threads $SLURM_CPUS_PER_TASK --stage \"$STAGE\" --index \"$SLURM_ARRAY_TASK_ID\"";
            var submit = SlurmSubmission.WriteScripts(folder, cells, runCell, new SlurmOptions(parse.GetValue(partition)!, parse.GetValue(time)!,
                parse.GetValue(cpus), parse.GetValue(memory)!, parse.GetValue(gres)!));
            AnsiConsole.MarkupLine($"Slurm scripts: {Markup.Escape(Path.GetDirectoryName(submit)!)}");
            if (!parse.GetValue(slurm)) { AnsiConsole.MarkupLine($"Submit with: bash {Markup.Escape(submit)}"); return 0; }
            var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", [submit]) { RedirectStandardOutput = true })!;
            System.Console.Write(process.StandardOutput.ReadToEnd());
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InputError($"sbatch failed (exit {process.ExitCode}); is Slurm installed and running? Check 'sinfo'.");
            AnsiConsole.MarkupLine($"Submitted. When the last stage finishes: sonosynth experiment report {Markup.Escape(folder)}");
            return 0;
        }));
        return command;
    }

    /// <summary>How to call this same tool from a batch script: the running dll through dotnet.</summary>
    private static string CliInvocation() => $"dotnet '{typeof(ExperimentCommands).Assembly.Location}'";

    private static Command ValidateCommand()
    {
        var config = ConfigArgument();
        var command = new Command("validate", "Check a config and list its cells without running anything.") { config };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var (loaded, _) = Load(parse.GetValue(config)!);
            var table = new Table().AddColumns("stage", "cells");
            foreach (var (stage, cells) in SlurmSubmission.Stages(new ExperimentPlan(loaded).Cells()))
                table.AddRow(stage.ToString(), Markup.Escape(string.Join("\n", cells.Select(c => c.Id))));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("[green]valid[/]");
            return 0;
        }));
        return command;
    }
}
