using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Data;

/// <summary>`sonosynth data stats (--data DIR | --csv FILE) [--split random|patient|official] [--seed S] [--json]`.</summary>
internal static class DataStatsCommand
{
    public static Command Create()
    {
        var data = DataCommands.DataOption(required: false);
        var csv = new Option<string>("--csv") { Description = "A FETAL_PLANES_DB_data.csv on its own: check splits on the metadata, no images needed." };
        var split = DataCommands.SplitOption();
        var seed = SharedOptions.Seed();
        var json = SharedOptions.Json();
        var command = new Command("stats",
            "Print per-class train/test counts like the paper's Table 1 for a split, and how many patients have images on both " +
            "sides (the random split leaks patients; the patient and official splits do not). Reads metadata only.\n" +
            "Example: sonosynth data stats --csv FETAL_PLANES_DB_data.csv --split random --seed 0")
        { data, csv, split, seed, json };
        command.SetAction(result => CommandAction.Run(() =>
        {
            var dataPath = result.GetValue(data);
            var csvPath = result.GetValue(csv);
            if ((dataPath is null) == (csvPath is null))
                throw new InputError("Pass exactly one of --data DIR (a data set folder) or --csv FILE (a FETAL_PLANES_DB_data.csv).");
            var kind = SplitKinds.Parse(result.GetValue(split)!);
            var (source, classNames, labels, patients, official) = ReadMetadata(dataPath, csvPath);
            var dataSplit = DataSplit.Create(kind, labels, classNames.Count, patients, official, result.GetValue(seed));
            if (result.GetValue(json)) PrintJson(source, classNames, dataSplit, official is not null);
            else PrintTable(source, classNames, dataSplit, official is not null);
            return 0;
        }));
        return command;
    }

    private static (string Source, IReadOnlyList<string> ClassNames, int[] Labels, int[] Patients, bool[]? Official) ReadMetadata(
        string? dataPath, string? csvPath)
    {
        if (csvPath is not null)
        {
            var listing = SourceListing.FromFetalPlanesCsv(csvPath, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, FetalPlanesCsv.ImagesFolder));
            return (Path.GetFullPath(csvPath), listing.ClassNames, listing.Labels, listing.PatientIds, listing.OfficialTrain);
        }
        if (Directory.Exists(dataPath) && PreparedDataset.IsCacheFolder(dataPath!))
        {
            var metadata = PreparedDatasetMetadata.Load(dataPath!);
            return (metadata.Source, metadata.ClassNames, metadata.Images.Select(i => i.Label).ToArray(),
                metadata.Images.Select(i => i.Patient).ToArray(),
                metadata.HasOfficialSplit ? metadata.Images.Select(i => i.OfficialTrain).ToArray() : null);
        }
        var source = SourceListing.Open(dataPath!);
        return (source.Root, source.ClassNames, source.Labels, source.PatientIds, source.HasOfficialSplit ? source.OfficialTrain : null);
    }

    private static void PrintTable(string source, IReadOnlyList<string> classNames, DataSplit split, bool hasPatients)
    {
        var table = new Table().Title($"{Markup.Escape(source)} — {split.Kind.Name()} split (seed {split.Seed})")
            .AddColumn(new TableColumn("Class index").RightAligned()).AddColumn("Class name")
            .AddColumn(new TableColumn("# images").RightAligned()).AddColumn(new TableColumn("# training images").RightAligned())
            .AddColumn(new TableColumn("# test images").RightAligned());
        for (int c = 0; c < classNames.Count; c++)
            table.AddRow(c.ToString(), Markup.Escape(classNames[c]), (split.TrainCountPerClass[c] + split.TestCountPerClass[c]).ToString(),
                split.TrainCountPerClass[c].ToString(), split.TestCountPerClass[c].ToString());
        table.AddRow("", "[bold]Total[/]", $"[bold]{split.TrainIndices.Count + split.TestIndices.Count}[/]",
            $"[bold]{split.TrainIndices.Count}[/]", $"[bold]{split.TestIndices.Count}[/]");
        AnsiConsole.Write(table);
        if (split.Kind == SplitKind.Random && split.TrainIndices.Count + split.TestIndices.Count == 12_400)
            AnsiConsole.MarkupLine("[grey]The paper's Table 1 has 9923/2477: the same ceil(80%) per class except Fetal femur (833/207 there, " +
                "832/208 here, as 0.8 x 1040 = 832 exactly).[/]");
        if (hasPatients)
            AnsiConsole.MarkupLine($"Patients: {split.PatientCount}; with images on both sides: " +
                $"{(split.PatientsOnBothSides > 0 ? "[yellow]" : "[green]")}{split.PatientsOnBothSides}[/]" +
                (split.PatientsOnBothSides > 0 ? " (test accuracy is optimistic: use --split patient or official for an honest estimate)." : "."));
        else
            AnsiConsole.MarkupLine("[grey]This data set has no patient ids (class folders): patient leakage cannot be checked.[/]");
    }

    private static void PrintJson(string source, IReadOnlyList<string> classNames, DataSplit split, bool hasPatients)
    {
        var document = new
        {
            source,
            split = split.Kind.Name(),
            seed = split.Seed,
            classes = classNames.Select((name, c) => new
            {
                index = c, name, images = split.TrainCountPerClass[c] + split.TestCountPerClass[c],
                train = split.TrainCountPerClass[c], test = split.TestCountPerClass[c],
            }),
            total = new { images = split.TrainIndices.Count + split.TestIndices.Count, train = split.TrainIndices.Count, test = split.TestIndices.Count },
            patients = hasPatients ? split.PatientCount : (int?)null,
            patients_on_both_sides = hasPatients ? split.PatientsOnBothSides : (int?)null,
        };
        JsonOutput.Print(document);
    }
}
