using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Imaging;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Data;

/// <summary>`sonosynth data preview --data DIR --out grid.png`: one row of prepared images per class.</summary>
internal static class DataPreviewCommand
{
    public static Command Create()
    {
        var data = DataCommands.DataOption();
        var size = DataCommands.SizeOption();
        var output = new Option<string>("--out") { Description = "PNG file for the grid.", DefaultValueFactory = _ => "data-preview.png" };
        var perClass = new Option<int>("--per-class") { Description = "Images shown per class (one row per class).", DefaultValueFactory = _ => 8 };
        var command = new Command("preview",
            "Write a PNG grid with the first images of each class as the models see them (grayscale, SIZE x SIZE).\n" +
            "Example: sonosynth data preview --data phantom --out preview.png")
        { data, size, output, perClass };
        command.SetAction(result => CommandAction.Run(() =>
        {
            using var dataset = ProgressDisplay.Run(progress => DataSources.Open(result.GetValue(data)!, result.GetValue(size), false, progress));
            int columns = Math.Max(1, result.GetValue(perClass));
            var rows = new List<int>();
            for (int c = 0; c < dataset.ClassNames.Count; c++)
                rows.AddRange(Enumerable.Range(0, dataset.Images.Count).Where(i => dataset.Images.Labels[i] == c).Take(columns));
            using var subset = dataset.Images.Subset(rows);
            var path = result.GetValue(output)!;
            ImageGrid.Save(path, subset.Pixels, columns);
            AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/]: rows are {Markup.Escape(string.Join(", ", dataset.ClassNames))}.");
            return 0;
        }));
        return command;
    }
}
