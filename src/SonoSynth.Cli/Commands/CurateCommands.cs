using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Cli.Curation;
using SonoSynth.Curation;
using SonoSynth.IO;
using Spectre.Console;

namespace SonoSynth.Cli.Commands;

/// <summary>
/// `sonosynth curate serve|train|filter`: label synthetic images good/bad on a local web page, train a quality
/// classifier on those labels, and split a synthetic set into good/bad manifests (the paper's Table 4).
/// </summary>
public static class CurateCommands
{
    public static Command Create()
    {
        var curate = new Command("curate",
            "Curate synthetic images: label them good/bad on a local web page, learn a quality classifier, filter a set.");
        curate.Subcommands.Add(Serve());
        curate.Subcommands.Add(Train());
        curate.Subcommands.Add(Filter());
        return curate;
    }

    private static Option<string> LabelFolder(string description) => new("--labels") { Description = description };

    private static Command Serve()
    {
        var images = new Argument<string>("DIR") { Description = "Folder of synthetic images (the generator's output, with manifest.csv)." };
        var labels = LabelFolder("Folder for the label journal (labels.jsonl); default DIR/curation.");
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1; 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var annotator = new Option<string>("--annotator")
        {
            Description = "Name stored with every label (default: $USER).",
            DefaultValueFactory = _ => CurationServerOptions.DefaultAnnotator(),
        };
        var command = new Command("serve",
            "Open a local web page that shows each synthetic image with its class; press g (good), b (bad), s (skip), u (undo). " +
            "Every label is on disk before the page moves on.") { images };
        command.Options.Add(labels);
        command.Options.Add(port);
        command.Options.Add(annotator);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var imageFolder = parse.GetValue(images)!;
            var options = new CurationServerOptions(imageFolder,
                parse.GetValue(labels) ?? CurationServerOptions.DefaultLabelFolder(imageFolder), parse.GetValue(annotator)!,
                parse.GetValue(port));
            var server = CurationServer.Start(options);
            foreach (var warning in server.Store.Warnings)
                AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            var progress = CurationApi.ProgressOf(server.Images, server.Store);
            AnsiConsole.MarkupLine($"{server.Images.Count} images ({(server.Images.FromManifest ? "from manifest.csv" : "scanned, no manifest.csv")}), " +
                $"{progress.Labelled} already labelled; labels go to [blue]{Markup.Escape(server.Store.JournalPath)}[/] " +
                $"as [blue]{Markup.Escape(server.Store.Annotator)}[/].");
            // Plain write: Spectre wraps long lines when output is redirected, and the URL must stay whole.
            System.Console.WriteLine($"Open {server.Url} in a browser. Ctrl+C stops the server.");
            // The host's console lifetime turns Ctrl+C / SIGTERM into a clean stop.
            server.WaitForShutdownAsync().GetAwaiter().GetResult();
            progress = CurationApi.ProgressOf(server.Images, server.Store);
            server.StopAsync().GetAwaiter().GetResult();
            AnsiConsole.MarkupLine($"Stopped. {progress.Labelled} of {progress.Total} labelled (good {progress.Good}, bad {progress.Bad}, skipped {progress.Skipped}).");
            return 0;
        }));
        return command;
    }

    private static Command Train()
    {
        var images = new Option<string>("--images") { Description = "Folder of synthetic images that were labelled.", Required = true };
        var labels = LabelFolder("Label store folder (holds labels.jsonl), as given to 'curate serve' (default DIR/curation).");
        var output = new Option<string>("--out") { Description = "Folder for the model (quality.weights + quality.json).", DefaultValueFactory = _ => "quality-model" };
        var defaults = CurationTrainingOptions.Default;
        var imageSize = new Option<int>("--image-size") { Description = "Images are resized to this square (multiple of 16).", DefaultValueFactory = _ => defaults.ImageSize };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the labelled images.", DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var heldOut = new Option<double>("--held-out") { Description = "Fraction of each class kept out of training to measure accuracy.", DefaultValueFactory = _ => defaults.HeldOutFraction };
        var threshold = new Option<double>("--threshold") { Description = "P(good) threshold stored with the model (used by 'curate filter').", DefaultValueFactory = _ => defaults.Threshold };
        var runtime = new RuntimeOptions();
        var command = new Command("train", "Train a good/bad quality classifier (small CNN) on the labels from 'curate serve'.");
        foreach (var option in new Option[] { images, labels, output, imageSize, epochs, batchSize, learningRate, heldOut, threshold })
            command.Options.Add(option);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var options = new CurationTrainingOptions(parse.GetValue(imageSize), defaults.BaseChannels, parse.GetValue(epochs),
                parse.GetValue(batchSize), parse.GetValue(learningRate), parse.GetValue(heldOut), parse.GetValue(threshold), runtime.GetSeed(parse));
            options.Validate();
            var imageFolder = parse.GetValue(images)!;
            var set = SyntheticImageSet.Load(imageFolder);
            using var store = LabelStore.ReadOnly(parse.GetValue(labels) ?? CurationServerOptions.DefaultLabelFolder(imageFolder));
            foreach (var warning in store.Warnings)
                AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            var outFolder = parse.GetValue(output)!;
            // With --json, stdout carries only the JSON document.
            var (model, report) = runtime.GetJson(parse)
                ? CurationTrainer.Train(set, store, options, torchDevice)
                : ProgressDisplay.Run(progress => CurationTrainer.Train(set, store, options, torchDevice, progress));
            // Locked only now, so bad input never leaves an empty model folder behind.
            using (model)
            using (OutputFolderLock.Acquire(outFolder))
                model.Save(outFolder);
            if (runtime.GetJson(parse))
                JsonOutput.Print(new { model = Path.GetFullPath(outFolder), report });
            else
            {
                var table = new Table().AddColumns("", "value");
                table.AddRow("labelled good / bad (skipped)", $"{report.GoodCount} / {report.BadCount} ({report.SkippedCount})");
                table.AddRow("train / held out", $"{report.TrainCount} / {report.HeldOutCount}");
                table.AddRow("held-out accuracy", Percent(report.HeldOutAccuracy));
                table.AddRow("held-out balanced accuracy", Percent(report.HeldOutBalancedAccuracy));
                table.AddRow("last epoch loss", report.FinalTrainLoss.ToString("F4"));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"Model saved to [blue]{Markup.Escape(Path.GetFullPath(outFolder))}[/] (threshold {options.Threshold}).");
            }
            return 0;
        }));
        return command;
    }

    private static Command Filter()
    {
        var images = new Option<string>("--images") { Description = "Folder of synthetic images to split.", Required = true };
        var model = new Option<string>("--model") { Description = "Model folder written by 'curate train'.", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "P(good) at or above which an image is good (default: the model's, 0.5 unless trained otherwise)." };
        var output = new Option<string>("--out") { Description = "Folder for good.csv and bad.csv (paths in them are relative to it).", Required = true };
        var runtime = new RuntimeOptions(seed: false);
        var command = new Command("filter",
            "Score every synthetic image with the quality classifier and write good.csv / bad.csv manifests " +
            "(generator manifest columns + score) for pretraining on good or bad images.");
        foreach (var option in new Option[] { images, model, threshold, output })
            command.Options.Add(option);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var set = SyntheticImageSet.Load(parse.GetValue(images)!);
            using var curationModel = CurationModel.Load(parse.GetValue(model)!, torchDevice);
            var cut = parse.GetValue(threshold) ?? curationModel.Info.Threshold;
            var outFolder = parse.GetValue(output)!;
            using var outLock = OutputFolderLock.Acquire(outFolder);
            var result = runtime.GetJson(parse)
                ? CurationFilter.Run(set, curationModel, cut, outFolder)
                : ProgressDisplay.Run(progress => CurationFilter.Run(set, curationModel, cut, outFolder, progress));
            if (runtime.GetJson(parse))
                JsonOutput.Print(new
                {
                    good = result.GoodCount, bad = result.BadCount, threshold = result.Threshold,
                    good_manifest = result.GoodManifest, bad_manifest = result.BadManifest,
                });
            else
                AnsiConsole.MarkupLine($"good {result.GoodCount}, bad {result.BadCount} (threshold {cut}): " +
                    $"[blue]{Markup.Escape(result.GoodManifest)}[/], [blue]{Markup.Escape(result.BadManifest)}[/]");
            return 0;
        }));
        return command;
    }

    private static string Percent(double value) => double.IsNaN(value) ? "n/a (nothing held out)" : $"{value:P1}";
}
