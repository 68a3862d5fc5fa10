using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Ensembles;
using SonoSynth.Metrics;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary><c>sonosynth classify ensemble</c>: majority (or soft) vote over saved prediction files, as in Table 11.</summary>
public static class EnsembleCommand
{
    public static Command Create()
    {
        var predictions = new Option<string[]>("--predictions")
        {
            Description = "Two or more predictions.csv files on the same test images (seeds of one architecture, or one per architecture).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var names = new Option<string[]?>("--names") { Description = "A short name per file for the table (default: the file's folder name).", AllowMultipleArgumentsPerToken = true };
        var combinations = new Option<int?>("--combinations") { Description = "Also vote every k-of-n subset (Table 11: --combinations 3 gives all 3-of-5 plus all five)." };
        var soft = new Option<bool>("--soft") { Description = "Soft vote (mean probability) instead of majority vote." };
        var output = new Option<string?>("--out") { Description = "Write the all-members ensemble's predictions here (a predictions.csv usable by 'classify metrics')." };
        var json = SharedOptions.Json();
        var command = new Command("ensemble", "Majority vote over prediction files. Tie rule: among the classes with the most votes, the highest mean " +
            "probability wins, then the lowest class index.\n" +
            "Example: sonosynth classify ensemble --predictions r50/predictions.csv dn169/predictions.csv mm/predictions.csv vit/predictions.csv swin/predictions.csv --combinations 3");
        foreach (var option in new Option[] { predictions, names, combinations, soft, output, json }) command.Options.Add(option);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var files = parse.GetValue(predictions)!;
            if (files.Length < 2) throw new InputError("--predictions needs at least two files to vote.");
            var given = parse.GetValue(names);
            var labels = given is { Length: > 0 } ? given : files.Select(DefaultName).ToArray();
            if (labels.Length != files.Length) throw new InputError($"--names has {labels.Length} names for {files.Length} prediction files.");
            var members = files.Select(PredictionTable.Read).ToList();
            for (int m = 1; m < members.Count; m++) members[0].EnsureSameImages(members[m], files[0], files[m]);
            var sizes = new List<int>();
            if (parse.GetValue(combinations) is int k) sizes.Add(k);
            sizes.Add(files.Length);
            bool useSoft = parse.GetValue(soft);
            var outcomes = EnsembleCombinations.Sweep(members, labels, sizes, useSoft);
            var all = outcomes[^1];
            var outPath = parse.GetValue(output);
            if (outPath is not null) all.Predictions.Write(outPath);

            if (parse.GetValue(json))
            {
                var payload = new
                {
                    vote = useSoft ? "soft" : "majority",
                    members = files.Select((f, i) => new { name = labels[i], file = f, accuracy = members[i].Accuracy }),
                    ensembles = outcomes.Select(o => new
                    {
                        members = o.MemberNames,
                        accuracy = o.Accuracy,
                        weighted_f1 = ClassificationReport.Compute(o.Predictions).WeightedF1,
                    }),
                    written = outPath,
                };
                JsonOutput.Print(payload);
                return 0;
            }
            var memberTable = new Table().AddColumns("member", "file", "accuracy");
            for (int i = 0; i < files.Length; i++) memberTable.AddRow(Markup.Escape(labels[i]), Markup.Escape(files[i]), $"{members[i].Accuracy:P2}");
            AnsiConsole.Write(memberTable);
            var table = new Table().AddColumns($"ensemble ({(useSoft ? "soft vote" : "majority vote")})", "accuracy", "weighted precision", "weighted recall", "weighted F1");
            foreach (var outcome in outcomes)
            {
                var report = ClassificationReport.Compute(outcome.Predictions);
                table.AddRow(Markup.Escape(outcome.Label), $"{report.Accuracy:P2}", $"{report.WeightedPrecision:P2}", $"{report.WeightedRecall:P2}", $"{report.WeightedF1:P2}");
            }
            AnsiConsole.Write(table);
            if (outPath is not null) AnsiConsole.MarkupLine($"All-members ensemble predictions: [blue]{Markup.Escape(outPath)}[/]");
            return 0;
        }));
        return command;
    }

    private static string DefaultName(string file)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        return string.IsNullOrEmpty(folder) ? Path.GetFileNameWithoutExtension(file) : folder;
    }
}
