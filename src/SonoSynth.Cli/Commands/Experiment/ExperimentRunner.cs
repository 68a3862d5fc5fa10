using SonoSynth.Cli.Console;
using SonoSynth.Experiments;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Experiment;

/// <summary>Shared by `experiment run` and `demo`: run the session (<see cref="ExperimentSession"/>), print its outcomes, write the report.</summary>
public static class ExperimentRunner
{
    public static int Run(ExperimentConfig config, string configText, string folder, string deviceName, ExperimentStage? stage = null,
        int? cellIndex = null, bool writeReport = true)
    {
        var device = TorchRuntime.ResolveDevice(deviceName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = ProgressDisplay.Run(progress => ExperimentSession.Run(config, configText, folder, device, stage, cellIndex, progress));
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
