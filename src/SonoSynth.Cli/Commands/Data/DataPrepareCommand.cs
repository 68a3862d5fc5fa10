using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Data;

/// <summary>`sonosynth data prepare --data DIR [--size 128] [--skip-bad]`.</summary>
internal static class DataPrepareCommand
{
    public static Command Create()
    {
        var data = DataCommands.DataOption();
        var size = DataCommands.SizeOption();
        var skipBad = DataCommands.SkipBadOption();
        var json = SharedOptions.Json();
        var command = new Command("prepare",
            "Decode every image once (grayscale, SIZE x SIZE, uint8) into a cache under DIR/.sonosynth-cache/SIZE (or your user " +
            "cache if DIR is read-only). Training reads the cache; it is rebuilt when the images or the settings change.\n" +
            "Example: sonosynth data prepare --data FETAL_PLANES_DB --size 128")
        { data, size, skipBad, json };
        command.SetAction(result => CommandAction.Run(() =>
        {
            var started = DateTime.UtcNow;
            // With --json, stdout carries only the JSON document.
            PreparedDataset Open(IProgress<ProgressUpdate>? progress) =>
                DataSources.Open(result.GetValue(data)!, result.GetValue(size), result.GetValue(skipBad), progress);
            using var dataset = result.GetValue(json) ? Open(null) : ProgressDisplay.Run(progress => Open(progress));
            var counts = dataset.Images.CountPerClass();
            if (result.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    source = dataset.Source, cache = Path.GetFullPath(dataset.CacheFolder), image_size = dataset.ImageSize,
                    images = dataset.Images.Count, rebuilt = dataset.WasRebuilt,
                    per_class = dataset.ClassNames.Select((name, c) => new { class_name = name, images = counts[c] }),
                    skipped = dataset.SkippedImages,
                });
                return 0;
            }
            var table = new Table().AddColumn("Class").AddColumn(new TableColumn("Images").RightAligned());
            for (int c = 0; c < counts.Length; c++) table.AddRow(Markup.Escape(dataset.ClassNames[c]), counts[c].ToString("N0"));
            table.AddRow("[bold]Total[/]", $"[bold]{dataset.Images.Count:N0}[/]");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{(dataset.WasRebuilt ? "Prepared" : "Reused")} cache [bold]{Markup.Escape(Path.GetFullPath(dataset.CacheFolder))}[/] " +
                $"({dataset.ImageSize}x{dataset.ImageSize}, {(DateTime.UtcNow - started).TotalSeconds:F1} s).");
            if (dataset.SkippedImages.Count > 0)
            {
                AnsiConsole.MarkupLine($"[yellow]Skipped {dataset.SkippedImages.Count} unreadable image(s) (--skip-bad):[/]");
                foreach (var skipped in dataset.SkippedImages)
                    AnsiConsole.MarkupLine($"  - {Markup.Escape(skipped.Reason)} ({Markup.Escape(skipped.Origin)})");
            }
            return 0;
        }));
        return command;
    }
}
