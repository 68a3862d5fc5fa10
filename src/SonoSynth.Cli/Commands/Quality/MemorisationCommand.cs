using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.IO;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Quality.Memorisation;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>`sonosynth audit memorisation --synthetic DIR --train DATA`: nearest training image of every synthetic image.</summary>
internal static class MemorisationCommand
{
    private const string NoFeatures = "none";

    public static Command Create()
    {
        var synthetic = new Option<string>("--synthetic") { Description = "Synthetic images: folder, manifest .csv or dataset:PATH.", Required = true };
        var train = new Option<string>("--train") { Description = "The images the generator was trained on: folder, manifest .csv or dataset:PATH.", Required = true };
        var heldOut = new Option<string?>("--held-out")
        {
            Description = "Real images the generator never saw (the real-vs-real reference). Default: 10% of --train, drawn with --seed.",
        };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "memorisation-audit" };
        var percentile = new Option<double>("--copy-percentile")
        {
            Description = "Flag a synthetic image when its nearest-training distance is at or below this percentile of real-vs-real distances.",
            DefaultValueFactory = _ => MemorisationOptions.Default.CopyPercentile,
        };
        var pixelSize = new Option<int>("--pixel-size") { Description = "Side of the downsampled images compared in pixel space.", DefaultValueFactory = _ => MemorisationOptions.Default.PixelSize };
        var pairs = new Option<int>("--pairs") { Description = "Closest pairs in closest_pairs.png.", DefaultValueFactory = _ => MemorisationOptions.Default.ClosestPairs };
        var extractor = QualityCliOptions.Extractor();
        extractor.Description = $"Feature space: {NoFeatures} (pixels only), or an Inception extractor: " + extractor.Description;
        var weights = QualityCliOptions.InceptionWeights();
        var batchSize = QualityCliOptions.BatchSize();
        var imageSize = QualityCliOptions.DatasetImageSize();
        var runtime = new RuntimeOptions();

        var command = new Command("memorisation",
            "For each synthetic image, its nearest training image in pixel space (L2, 64x64) and Inception feature space, " +
            "compared with how close held-out real images come to the training set; flags likely copies and writes " +
            "nearest_training_images.csv, summary.json, distance histograms and closest_pairs.png.");
        foreach (var option in new Option[] { synthetic, train, heldOut, output, percentile, pixelSize, pairs, extractor, weights,
                     batchSize, imageSize })
            command.Options.Add(option);
        runtime.AddTo(command);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var options = MemorisationOptions.Default with
            {
                PixelSize = parse.GetValue(pixelSize), CopyPercentile = parse.GetValue(percentile), ClosestPairs = parse.GetValue(pairs),
                BatchSize = parse.GetValue(batchSize), Seed = (ulong)runtime.GetSeed(parse),
            };
            if (options.CopyPercentile is < 0 or > 100) throw new ArgumentException("--copy-percentile must be between 0 and 100.");
            if (options.PixelSize < 4) throw new ArgumentException("--pixel-size must be at least 4.");
            if (options.BatchSize < 1) throw new ArgumentException("--batch-size must be at least 1.");
            var folder = parse.GetValue(output)!;
            var torchDevice = runtime.Apply(parse);
            string extractorName = parse.GetValue(extractor)!;
            bool asJson = runtime.GetJson(parse);
            using var folderLock = OutputFolderLock.Acquire(folder);

            var report = FidCommand.RunWithProgress(asJson, progress =>
            {
                int size = parse.GetValue(imageSize);
                using var syntheticInput = OpenImages(parse.GetValue(synthetic)!, "--synthetic", size, progress);
                using var trainInput = OpenImages(parse.GetValue(train)!, "--train", size, progress);
                using var heldOutInput = parse.GetValue(heldOut) is { } h ? OpenImages(h, "--held-out", size, progress) : null;
                using var featureExtractor = extractorName == NoFeatures ? null
                    : FidCommand.CreateExtractor(extractorName, parse.GetValue(weights), torchDevice);
                var result = MemorisationAudit.Run(syntheticInput.Images, trainInput.Images, heldOutInput?.Images,
                    featureExtractor, options, progress);
                MemorisationOutputs.Write(result, syntheticInput.Images, trainInput.Images, folder);
                return result;
            });

            if (asJson)
                JsonOutput.Print(new
                {
                    out_folder = folder, synthetic_count = report.Matches.Count, likely_copies = report.LikelyCopyCount,
                    pixel_copy_threshold = report.Pixel.CopyThreshold, feature_copy_threshold = report.Feature?.CopyThreshold,
                    feature_extractor = report.FeatureExtractor, real_reference = report.RealReference,
                });
            else
            {
                AnsiConsole.MarkupLine($"[bold]{report.LikelyCopyCount}[/] of {report.Matches.Count} synthetic images flagged as likely copies " +
                    $"(pixel threshold {report.Pixel.CopyThreshold:G4}" +
                    (report.Feature is null ? "" : $", feature threshold {report.Feature.CopyThreshold:G4}") + ").");
                AnsiConsole.MarkupLine($"real reference: {Markup.Escape(report.RealReference)}");
                AnsiConsole.MarkupLine($"wrote {Markup.Escape(Path.Combine(folder, MemorisationOutputs.ListFile))}, " +
                    $"{MemorisationOutputs.SummaryFile}, pixel_distances.png" + (report.Feature is null ? "" : ", feature_distances.png") +
                    $", {MemorisationOutputs.PairsFile}");
            }
            return 0;
        }));
        return command;
    }

    private static ImagesInput OpenImages(string spec, string option, int imageSize, IProgress<ProgressUpdate>? progress)
    {
        var input = QualityInput.Open(spec, imageSize, progress);
        if (input is ImagesInput images) return images;
        input.Dispose();
        throw new InputError($"{option} '{spec}' must be images (a folder, manifest .csv or dataset:PATH), not features or statistics.");
    }
}
