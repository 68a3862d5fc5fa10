using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Data.Phantom;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Data;

/// <summary>`sonosynth data phantom --out DIR --per-class N --seed S [--size P]`.</summary>
internal static class DataPhantomCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write FETAL_PLANES_DB_data.csv and Images/ into.", Required = true };
        var perClass = new Option<int>("--per-class") { Description = "Images per class (six classes).", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = "Width and height of the written PNGs in pixels.", DefaultValueFactory = _ => 128 };
        var perPatient = new Option<int>("--per-patient") { Description = "Consecutive images that share a patient (and its probe settings).", DefaultValueFactory = _ => 6 };
        var seed = SharedOptions.Seed();
        var command = new Command("phantom",
            "Write a procedurally generated, ultrasound-like data set in the FETAL_PLANES_DB layout (six planes, patients, official " +
            "Train column), for demos and tests without the real images. Same seed, same bytes.\n" +
            "Example: sonosynth data phantom --out phantom --per-class 100 --seed 1")
        { output, perClass, size, perPatient, seed };
        command.SetAction(result => CommandAction.Run(() =>
        {
            var options = new PhantomOptions(result.GetValue(perClass), result.GetValue(seed), result.GetValue(size), result.GetValue(perPatient));
            options.Validate();
            var folder = result.GetValue(output)!;
            var started = DateTime.UtcNow;
            var records = ProgressDisplay.Run(progress => PhantomGenerator.Write(folder, options, progress));
            AnsiConsole.MarkupLine($"Wrote {records.Count} images ({options.PerClass} per class, {records.Select(r => r.PatientNumber).Distinct().Count()} patients, " +
                $"{options.ImageSize}x{options.ImageSize}) to [bold]{Markup.Escape(Path.GetFullPath(folder))}[/] in {(DateTime.UtcNow - started).TotalSeconds:F1} s.");
            AnsiConsole.MarkupLine($"Next: [grey]sonosynth data stats --data {Markup.Escape(folder)}[/]");
            return 0;
        }));
        return command;
    }
}
