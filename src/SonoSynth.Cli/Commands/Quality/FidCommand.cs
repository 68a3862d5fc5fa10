using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Quality;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>`sonosynth fid SYNTHETIC REAL`: FID (or a labelled Fréchet distance), KID and precision/recall.</summary>
internal static class FidCommand
{
    public static Command Create()
    {
        var synthetic = new Argument<string>("SYNTHETIC")
        {
            Description = "Synthetic (generated) images: image folder (class = sub-folder), manifest .csv (path,label), " +
                ".npz (mu, sigma), .npy features (rows = images), or dataset:PATH.",
        };
        var real = new Argument<string>("REAL") { Description = "Real (reference) images, in any of the same forms." };
        var perClass = new Option<bool>("--per-class") { Description = "Also compare synthetic class c with real class c (the paper's Table 3)." };
        var className = new Option<string?>("--class") { Description = "Compare only this class on both sides (name or slug, e.g. fetal_brain)." };
        var noKid = new Option<bool>("--no-kid") { Description = "Skip KID (it costs 100 subsets of 1000x1000 kernels)." };
        var noPrecisionRecall = new Option<bool>("--no-precision-recall") { Description = "Skip improved precision/recall." };
        var kidSubsets = new Option<int>("--kid-subsets") { Description = "KID subsets.", DefaultValueFactory = _ => KernelInceptionDistance.DefaultSubsets };
        var kidSubsetSize = new Option<int>("--kid-subset-size") { Description = "Images per KID subset; cut to the smaller set when larger, with a note in the report.", DefaultValueFactory = _ => KernelInceptionDistance.DefaultSubsetSize };
        var neighbours = new Option<int>("--k") { Description = "Neighbours for precision/recall radii (Kynkäänniemi et al.: 3).", DefaultValueFactory = _ => PrecisionRecall.DefaultNeighbourCount };
        var weights = QualityCliOptions.InceptionWeights();
        var extractor = QualityCliOptions.Extractor();
        var batchSize = QualityCliOptions.BatchSize();
        var imageSize = QualityCliOptions.DatasetImageSize();
        var decode = QualityCliOptions.Decode();
        var runtime = new RuntimeOptions();

        var command = new Command("fid",
            "Fréchet Inception Distance between synthetic and real images (pytorch-fid: Inception-v3 pool3, 299x299 bilinear, " +
            "float64 statistics), plus KID and improved precision/recall. Without the FID Inception weights the distance is " +
            "computed on another extractor and labelled NOT FID. 'fid stats' writes statistics for later comparisons.");
        command.Arguments.Add(synthetic);
        command.Arguments.Add(real);
        foreach (var option in new Option[] { perClass, className, noKid, noPrecisionRecall, kidSubsets, kidSubsetSize, neighbours,
                     weights, extractor, batchSize, imageSize, decode })
            command.Options.Add(option);
        runtime.AddTo(command);
        command.Subcommands.Add(FidStatsCommand.Create());

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var options = new QualityOptions(
                BatchSize: parse.GetValue(batchSize), ClassFilter: parse.GetValue(className), PerClass: parse.GetValue(perClass),
                Kid: !parse.GetValue(noKid), PrecisionRecall: !parse.GetValue(noPrecisionRecall),
                KidSubsets: parse.GetValue(kidSubsets), KidSubsetSize: parse.GetValue(kidSubsetSize),
                NeighbourCount: parse.GetValue(neighbours), Seed: (ulong)runtime.GetSeed(parse));
            if (options.BatchSize < 1) throw new ArgumentException("--batch-size must be at least 1.");
            if (options.KidSubsets < 1) throw new ArgumentException("--kid-subsets must be at least 1.");
            if (options.NeighbourCount < 1) throw new ArgumentException("--k must be at least 1.");
            var policy = Imaging.DecodePolicy.Parse(parse.GetValue(decode)!, parse.GetValue(imageSize));
            bool asJson = runtime.GetJson(parse);
            var torchDevice = runtime.Apply(parse);

            QualityReport report = RunWithProgress(asJson, progress =>
            {
                using var a = QualityInput.Open(parse.GetValue(synthetic)!, parse.GetValue(imageSize), progress, policy);
                using var b = QualityInput.Open(parse.GetValue(real)!, parse.GetValue(imageSize), progress, policy);
                if (policy == Imaging.DecodePolicy.PytorchFid && IsPreparedDataSet(a) != IsPreparedDataSet(b) &&
                    a is ImagesInput && b is ImagesInput)
                    ConsoleReport.Warn("one side is a prepared data set (gray, --image-size px) and the other image files read as pytorch-fid " +
                        "does (RGB, native size); pass --decode training to read both the way training sees them.");
                using var featureExtractor = a is ImagesInput || b is ImagesInput
                    ? CreateExtractor(parse.GetValue(extractor)!, parse.GetValue(weights), torchDevice) : null;
                return QualityEvaluation.Run(a, b, featureExtractor, options, progress);
            });
            if (asJson) JsonOutput.Print(report);
            else PrintTable(report);
            return 0;
        }));
        return command;
    }

    /// <summary>The extractor; says loudly, on stderr, when FID weights are missing and a substitute is used.</summary>
    internal static IFeatureExtractor CreateExtractor(string name, string? weightsPath, TorchSharp.torch.Device device)
    {
        var created = FeatureExtractors.Create(name, weightsPath, device);
        if (!created.IsFidInception)
            ConsoleReport.Warn($"using {created.DisplayName}: results are NOT FID. {FidInceptionWeights.WhereToGetIt()}");
        return created;
    }

    private static bool IsPreparedDataSet(QualityInput input) => input is ImagesInput { Images: LabelledImagesSource };

    internal static T RunWithProgress<T>(bool quiet, Func<IProgress<ProgressUpdate>?, T> work) =>
        quiet ? work(null) : ProgressDisplay.Run<T>(progress => work(progress));

    private static void PrintTable(QualityReport report)
    {
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.MetricLabel)}[/]");
        AnsiConsole.MarkupLine($"synthetic: {Markup.Escape(report.Synthetic)}");
        AnsiConsole.MarkupLine($"real:      {Markup.Escape(report.Real)}");
        var table = new Table().AddColumns("set", "synthetic", "real", report.Metric == "fid" ? "FID" : "Fréchet distance",
            "KID (mean ± std)", "precision", "recall");
        foreach (var scores in new[] { report.Overall }.Concat(report.PerClass))
            table.AddRow(Markup.Escape(scores.Class ?? "all"), scores.SyntheticCount.ToString(), scores.RealCount.ToString(),
                ConsoleReport.Format(scores.FrechetDistance),
                scores.Kid is { } kid ? $"{kid.Mean:G4} ± {kid.StandardDeviation:G2}" : "-",
                scores.PrecisionRecall is { } pr ? pr.Precision.ToString("F3") : "-",
                scores.PrecisionRecall is { } pr2 ? pr2.Recall.ToString("F3") : "-");
        AnsiConsole.Write(table);
        foreach (var note in report.Notes) AnsiConsole.MarkupLine($"[grey]note: {Markup.Escape(note)}[/]");
    }
}
