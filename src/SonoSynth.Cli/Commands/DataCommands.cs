using System.CommandLine;
using SonoSynth.Cli.Commands.Data;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth data ...`: make phantom data, prepare a cache, print split statistics, preview images.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Read FETAL_PLANES_DB or class-folder data, prepare the decoded cache, check splits, make phantom data.");
        data.Subcommands.Add(DataPhantomCommand.Create());
        data.Subcommands.Add(DataPrepareCommand.Create());
        data.Subcommands.Add(DataStatsCommand.Create());
        data.Subcommands.Add(DataPreviewCommand.Create());
        return data;
    }

    /// <summary>--data: the data set folder (FETAL_PLANES_DB, class folders, or a prepared cache).</summary>
    internal static Option<string> DataOption(bool required = true) => new("--data")
    {
        Description = "FETAL_PLANES_DB folder (FETAL_PLANES_DB_data.csv + Images/), a folder with one sub-folder per class, " +
            "or a prepared cache folder.",
        Required = required,
    };

    internal static Option<int> SizeOption() => new("--size")
    {
        Description = "Images are converted to grayscale and resized to SIZE x SIZE pixels (the paper: 128).",
        DefaultValueFactory = _ => 128,
    };

    internal static Option<bool> SkipBadOption() => new("--skip-bad")
    {
        Description = "Leave out missing, empty, truncated or corrupt images and list them, instead of stopping at the first.",
    };

    internal static Option<string> SplitOption() => new("--split")
    {
        Description = "random (seeded, stratified 80/20 as in the paper), patient (grouped by Patient_num: no patient on both sides) " +
            "or official (the CSV's Train column).",
        DefaultValueFactory = _ => "random",
    };
}
