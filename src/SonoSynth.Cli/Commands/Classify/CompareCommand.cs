using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.Ensembles;
using SonoSynth.Models;
using SonoSynth.Training;
using Spectre.Console;
using TorchSharp;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary>
/// <c>sonosynth classify compare</c>: the two comparison methods of the paper's Table 11, built on finished
/// <c>classify train</c> runs (their architectures and prediction weights), fitted on the same training split.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "stacked (Krishna & Kokil 2024) or feature-integration (Krishna & Kokil 2023).", Required = true };
        var runs = new Option<string[]>("--runs") { Description = "Output folders of finished 'classify train' runs on the same data and split (the base models / backbones).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Predictions CSV of the comparison method on the test split.", Required = true };
        var trees = new Option<int>("--trees") { Description = "Random-forest trees per base model (stacked).", DefaultValueFactory = _ => 100 };
        var mlpEpochs = new Option<int>("--mlp-epochs") { Description = "MLP training epochs (feature-integration).", DefaultValueFactory = _ => 100 };
        var runtime = new RuntimeOptions(json: false);
        var command = new Command("compare", "Table 11's comparison methods over trained models: a stacked ensemble (CNN softmax + random forest on " +
            "deep features per model, absolute majority vote) or deep feature integration (concatenated pooled features → MLP).\n" +
            "Example: sonosynth classify compare --method stacked --runs runs/r50 runs/dn169 runs/mm --out stacked.csv");
        foreach (var option in new Option[] { method, runs, output, trees, mlpEpochs }) command.Options.Add(option);
        runtime.AddTo(command);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var chosen = ComparisonMethods.Parse(parse.GetValue(method)!);
            var folders = parse.GetValue(runs)!;
            if (folders.Length == 0) throw new InputError("--runs needs at least one finished 'classify train' output folder.");
            var settings = folders.Select(f => new RunFolder(f).ReadSettings()).ToArray();
            foreach (var key in RunSettings.DataAndSplitKeys)
                for (int i = 1; i < settings.Length; i++)
                    if (settings[i].ValueOf(key) != settings[0].ValueOf(key))
                        throw new InputError($"'{folders[i]}' used {key} = {settings[i].ValueOf(key)} but '{folders[0]}' used {settings[0].ValueOf(key)}; " +
                            "the base models must share data and split.");
            var torchDevice = runtime.Apply(parse);
            var first = settings[0];
            int size = first.ImageSize;
            var splitKind = first.Split;
            int splitSeed = first.EffectiveSplitSeed;
            var predictions = ProgressDisplay.Run(progress =>
            {
                using var real = DataSources.Open(first.Data, size, skipBad: true, progress);
                var split = real.Split(splitKind, splitSeed, 1 - first.TestFraction);
                var (trainRows, _) = ValidationSplit.Carve(split.TrainIndices, first.ValidationFraction, splitSeed,
                    real.HasPatientIds ? real.PatientIds : null);
                using var train = real.Images.Subset(trainRows);
                using var test = real.Images.Subset(split.TestIndices);
                var models = new List<ImageClassifier>();
                try
                {
                    for (int i = 0; i < folders.Length; i++)
                        models.Add(new RunFolder(folders[i]).LoadModel(settings[i].Architecture, new ClassifierConfig(1, real.Images.ClassNames.Count, size), torchDevice));
                    var comparison = new ComparisonSettings(parse.GetValue(trees), parse.GetValue(mlpEpochs), runtime.GetSeed(parse));
                    return ComparisonMethods.Run(chosen, models, train, test, comparison, torchDevice, progress);
                }
                finally
                {
                    foreach (var model in models) model.Dispose();
                }
            });
            var outPath = parse.GetValue(output)!;
            predictions.Write(outPath);
            AnsiConsole.MarkupLine($"{Markup.Escape(ComparisonMethods.DisplayName(chosen))} over {folders.Length} models: " +
                $"test accuracy {predictions.Accuracy:P2}. Predictions: [blue]{Markup.Escape(outPath)}[/]");
            return 0;
        }));
        return command;
    }
}
