using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Metrics;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary><c>sonosynth classify metrics</c>: the paper's Table 10 metrics from a predictions file, plus CI and McNemar.</summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var predictions = new Option<string>("--predictions") { Description = "predictions.csv written by 'classify train' or 'classify ensemble'.", Required = true };
        var confusionPng = new Option<string?>("--confusion-png") { Description = "Also write the confusion matrix as a PNG heat map here." };
        var compare = new Option<string?>("--compare") { Description = "A second predictions file on the same images: McNemar's test between the two." };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95% confidence interval of accuracy.", DefaultValueFactory = _ => 2000 };
        var seed = SharedOptions.Seed();
        var json = SharedOptions.Json();
        var command = new Command("metrics", "Accuracy, per-class and weighted precision/recall/F1 (scikit-learn's definitions), confusion matrix, " +
            "bootstrap 95% CI of accuracy, and McNemar's test against another model.\n" +
            "Example: sonosynth classify metrics --predictions runs/r50/predictions.csv --confusion-png r50.png --compare runs/vit/predictions.csv");
        foreach (var option in new Option[] { predictions, confusionPng, compare, resamples, seed, json }) command.Options.Add(option);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var path = parse.GetValue(predictions)!;
            var table = PredictionTable.Read(path);
            if (table.Count == 0) throw new InputError($"'{path}' has no prediction rows.");
            var report = ClassificationReport.Compute(table);
            var interval = BootstrapInterval.Accuracy(table.Correct, parse.GetValue(resamples), 0.95, parse.GetValue(seed));
            McNemarResult? mcnemar = null;
            var comparePath = parse.GetValue(compare);
            PredictionTable? other = null;
            if (comparePath is not null)
            {
                other = PredictionTable.Read(comparePath);
                mcnemar = McNemarTest.Compare(table, other, path, comparePath);
            }
            var pngPath = parse.GetValue(confusionPng);
            if (pngPath is not null) ConfusionHeatmap.WritePng(report.Confusion, pngPath, Path.GetFileNameWithoutExtension(path));

            if (parse.GetValue(json))
            {
                int k = table.ClassNames.Count;
                var payload = new
                {
                    file = path,
                    images = table.Count,
                    accuracy = report.Accuracy,
                    accuracy_ci95 = new { lower = interval.Lower, upper = interval.Upper, resamples = interval.Resamples },
                    weighted = new { precision = report.WeightedPrecision, recall = report.WeightedRecall, f1 = report.WeightedF1 },
                    macro = new { precision = report.MacroPrecision, recall = report.MacroRecall, f1 = report.MacroF1 },
                    per_class = report.PerClass.Select(c => new { name = c.ClassName, precision = c.Precision, recall = c.Recall, f1 = c.F1, support = c.Support }),
                    confusion = new
                    {
                        classes = table.ClassNames,
                        counts = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => report.Confusion.Counts[i, j]).ToArray()),
                        row_percent = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => report.Confusion.RowPercent()[i, j]).ToArray()),
                    },
                    mcnemar = mcnemar is null ? null : new
                    {
                        against = comparePath,
                        other_accuracy = other!.Accuracy,
                        both_correct = mcnemar.BothCorrect, only_this_correct = mcnemar.OnlyFirstCorrect,
                        only_other_correct = mcnemar.OnlySecondCorrect, both_wrong = mcnemar.BothWrong,
                        method = mcnemar.Method == McNemarMethod.ExactBinomial ? "exact binomial" : "chi-square with continuity correction",
                        statistic = mcnemar.Statistic, p_value = mcnemar.PValue,
                    },
                };
                JsonOutput.Print(payload);
                return 0;
            }

            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(path)}[/]: {table.Count} images");
            AnsiConsole.MarkupLine($"Accuracy {report.Accuracy:P2} (95% bootstrap CI {interval.Lower:P2} – {interval.Upper:P2}, {interval.Resamples} resamples)");
            var scores = new Table().AddColumns("class", "precision", "recall", "F1", "support");
            foreach (var c in report.PerClass)
                scores.AddRow(Markup.Escape(c.ClassName), $"{c.Precision:P2}", $"{c.Recall:P2}", $"{c.F1:P2}", c.Support.ToString());
            scores.AddRow("[bold]weighted[/]", $"{report.WeightedPrecision:P2}", $"{report.WeightedRecall:P2}", $"{report.WeightedF1:P2}", table.Count.ToString());
            scores.AddRow("macro", $"{report.MacroPrecision:P2}", $"{report.MacroRecall:P2}", $"{report.MacroF1:P2}", "");
            AnsiConsole.Write(scores);
            var confusion = new Table().Title("Confusion matrix: count (row %), rows = true class");
            confusion.AddColumn("true \\ predicted");
            foreach (var name in table.ClassNames) confusion.AddColumn(Markup.Escape(name));
            var percent = report.Confusion.RowPercent();
            for (int i = 0; i < table.ClassNames.Count; i++)
                confusion.AddRow(new[] { Markup.Escape(table.ClassNames[i]) }.Concat(Enumerable.Range(0, table.ClassNames.Count)
                    .Select(j => $"{report.Confusion.Counts[i, j]} ({percent[i, j]:F1}%)")).ToArray());
            AnsiConsole.Write(confusion);
            if (mcnemar is not null)
                AnsiConsole.MarkupLine($"McNemar vs {Markup.Escape(comparePath!)} (accuracy {other!.Accuracy:P2}): only this right {mcnemar.OnlyFirstCorrect}, " +
                    $"only the other right {mcnemar.OnlySecondCorrect}; " +
                    (mcnemar.Method == McNemarMethod.ExactBinomial ? "exact binomial test" : $"chi-square with continuity correction = {mcnemar.Statistic:F3}") +
                    $", p = {mcnemar.PValue:G4}");
            if (pngPath is not null) AnsiConsole.MarkupLine($"Heat map: [blue]{Markup.Escape(pngPath)}[/]");
            return 0;
        }));
        return command;
    }
}
