using System.CommandLine;
using SonoSynth.Data;
using SonoSynth.Quality;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inputs;
using SonoSynth.Interop;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>`sonosynth fid stats SRC --out stats.npz`: Inception statistics of an image set, pytorch-fid compatible.</summary>
internal static class FidStatsCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SOURCE") { Description = "Image folder, manifest .csv or dataset:PATH." };
        var output = new Option<string>("--out") { Description = "Statistics file to write (.npz with mu, sigma, count, extractor).", Required = true };
        var featuresOut = new Option<string?>("--features-out") { Description = "Also write the feature matrix as .npy (rows = images), for KID and precision/recall later." };
        var className = new Option<string?>("--class") { Description = "Only this class (name or slug)." };
        var weights = QualityCliOptions.InceptionWeights();
        var extractor = QualityCliOptions.Extractor();
        var batchSize = QualityCliOptions.BatchSize();
        var imageSize = QualityCliOptions.DatasetImageSize();
        var decode = QualityCliOptions.Decode();
        var runtime = new RuntimeOptions(seed: false, json: false);

        var command = new Command("stats", "Compute and save the feature statistics (mu, sigma) of one image set, e.g. the real " +
            "training set once, to compare many synthetic sets against it.");
        command.Arguments.Add(source);
        foreach (var option in new Option[] { output, featuresOut, className, weights, extractor, batchSize, imageSize, decode })
            command.Options.Add(option);
        runtime.AddTo(command);
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"--out '{outPath}' must end in .npz.");
            var torchDevice = runtime.Apply(parse);
            string extractorId = FidCommand.RunWithProgress(false, progress =>
            {
                using var input = QualityInput.Open(parse.GetValue(source)!, parse.GetValue(imageSize), progress,
                    Imaging.DecodePolicy.Parse(parse.GetValue(decode)!, parse.GetValue(imageSize)));
                if (input is not ImagesInput images)
                    throw new InputError($"'{input.Path}' is not a set of images; 'fid stats' needs a folder, manifest or data set.");
                IImageSource set = images.Images;
                if (parse.GetValue(className) is { } name)
                {
                    set = SubsetSource.OfClass(set, PlaneClasses.Slug(name));
                    if (set.Count < 2) throw new InputError($"'{input.Path}' has {set.Count} image(s) of class '{name}'; at least 2 are needed.");
                }
                using var featureExtractor = FidCommand.CreateExtractor(parse.GetValue(extractor)!, parse.GetValue(weights), torchDevice);
                using var features = FeatureExtraction.Run(featureExtractor, set, parse.GetValue(batchSize), progress);
                using var statistics = FeatureStatistics.FromFeatures(features);
                StatisticsFile.Write(outPath, statistics, featureExtractor.Id);
                if (parse.GetValue(featuresOut) is { } npyPath)
                    SonoSynth.IO.AtomicFile.Write(npyPath, stream => NpyFile.WriteTensor(stream, features));
                return featureExtractor.Id;
            });
            System.Console.WriteLine($"wrote {outPath} (extractor {extractorId})");
            return 0;
        }));
        return command;
    }
}
