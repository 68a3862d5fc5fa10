using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Inference;
using SonoSynth.Runtime;
using SonoSynth.Training;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary><c>sonosynth classify predict</c>: classify new scans with a trained model or a vote of several, optionally with heat maps.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("images") { Description = "Image files and/or folders (searched recursively for PNG/JPEG; any size, gray or colour).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string>("--model") { Description = "A model: a .sonomodel file ('sonosynth model export'), a 'classify train' output folder or an experiment's classifier cell (cells/classify/...).", Required = true };
        var models = new Option<string[]>("--models") { Description = "More models (files or run folders) for an ensemble vote with --model.", AllowMultipleArgumentsPerToken = true };
        var ensemble = new Option<string[]>("--ensemble") { Description = "Folders holding ensemble members: each is a run folder, or a folder of .sonomodel files and/or run folders.", AllowMultipleArgumentsPerToken = true };
        var vote = new Option<string>("--vote") { Description = "How several models combine: majority (the paper's 5.2.4; ties go to the higher mean probability) or soft (mean probability).", DefaultValueFactory = _ => "majority" };
        var output = new Option<string?>("--out") { Description = "Write the full probability table here (CSV: image,pred,p_<class>...)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per forward pass.", DefaultValueFactory = _ => 64 };
        var explain = new Option<string?>("--explain") { Description = "Write a heat-map overlay PNG per image into this folder (Grad-CAM; for ViT on its patch-token grid). Uses --model." };
        var runtime = new RuntimeOptions(seed: false);

        var command = new Command("predict", "Classify ultrasound images with a trained model (or a majority/soft vote of several), preprocessed exactly as in training. " +
            "Prints each image's plane and probability, writes the full probability table, lists unreadable files and goes on.\n" +
            "Example: sonosynth classify predict --model runs/r50-s0 scans/ --out predictions.csv --explain heatmaps/");
        command.Arguments.Add(inputs);
        // --json before --device and --threads, as this verb has always listed them.
        foreach (var option in new Option[] { model, models, ensemble, vote, output, batchSize, explain, runtime.Json!, runtime.Device, runtime.Threads })
            command.Options.Add(option);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var torchDevice = runtime.Apply(parse);
            var chosenVote = EnsembleVotes.Parse(parse.GetValue(vote)!);
            var files = ImageFiles.Expand(parse.GetValue(inputs)!);
            var memberPaths = new List<string> { parse.GetValue(model)! };
            memberPaths.AddRange(parse.GetValue(models) ?? []);
            foreach (var folder in parse.GetValue(ensemble) ?? []) memberPaths.AddRange(EnsembleMembers(folder));
            bool asJson = runtime.GetJson(parse);

            var bundles = new List<ModelBundle>();
            try
            {
                foreach (var path in memberPaths) bundles.Add(TrainedModel.Load(path, torchDevice));
                var explainFolder = parse.GetValue(explain);
                string? explainMethod = null;
                IReadOnlyList<string> overlays = [];
                PredictionRun Work(IProgress<ProgressUpdate>? progress)
                {
                    var predictor = new ImagePredictor(bundles, chosenVote, parse.GetValue(batchSize), torchDevice) { Progress = progress };
                    var result = predictor.Predict(files);
                    if (explainFolder is not null)
                    {
                        var explainer = new Explainer(bundles[0], torchDevice) { Progress = progress };
                        explainMethod = explainer.Description;
                        overlays = explainer.Write(result.Predictions, explainFolder);
                    }
                    return result;
                }
                // JSON goes to stdout alone, so no progress bars there.
                var run = asJson ? Work(null) : ProgressDisplay.Run(progress => Work(progress));
                var outPath = parse.GetValue(output);
                if (outPath is not null) ImagePredictor.WriteCsv(run, outPath);

                if (asJson) PrintJson(run, memberPaths, chosenVote, outPath, overlays, explainMethod);
                else PrintTable(run, memberPaths.Count, chosenVote, outPath, explainFolder, explainMethod);
                return run.Predictions.Count == 0 ? 2 : 0;
            }
            finally
            {
                foreach (var bundle in bundles) bundle.Dispose();
            }
        }));
        return command;
    }

    /// <summary>A run folder is one member; otherwise its .sonomodel files and run-folder children, sorted.</summary>
    private static IEnumerable<string> EnsembleMembers(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InputError($"--ensemble '{folder}' is not a folder. Pass folders of run folders or .sonomodel files, or use --models for files.");
        if (RunFolder.Holds(folder)) return [folder];
        var members = Directory.EnumerateFiles(folder, "*" + ModelBundle.Extension)
            .Concat(Directory.EnumerateDirectories(folder).Where(RunFolder.Holds))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (members.Count == 0)
            throw new InputError($"--ensemble '{folder}' holds no {ModelBundle.Extension} files, no 'classify train' run folders and no experiment classifier cells.");
        return members;
    }

    private static void PrintTable(PredictionRun run, int modelCount, EnsembleVote vote, string? outPath, string? explainFolder, string? explainMethod)
    {
        var table = new Table().AddColumns("image", "plane", "probability");
        foreach (var row in run.Predictions)
            table.AddRow(Markup.Escape(row.Image), Markup.Escape(run.ClassNames[row.Predicted]), $"{row.TopProbability:P1}");
        AnsiConsole.Write(table);
        foreach (var bad in run.Unreadable)
            AnsiConsole.MarkupLine($"[yellow]unreadable:[/] {Markup.Escape(bad.Image)}: {Markup.Escape(bad.Reason)}");
        var models = modelCount == 1 ? "1 model" : $"{modelCount} models, {vote.ToString().ToLowerInvariant()} vote";
        AnsiConsole.MarkupLine($"{run.Predictions.Count} images classified ({models}), {run.Unreadable.Count} unreadable, {run.ImagesPerSecond:F1} images/s.");
        if (outPath is not null) AnsiConsole.MarkupLine($"Probabilities: [blue]{Markup.Escape(outPath)}[/]");
        if (run.Predictions.Count == 0) AnsiConsole.MarkupLine("[red]error:[/] no image could be read; see the reasons above.");
        if (explainFolder is not null) AnsiConsole.MarkupLine($"Heat maps ({Markup.Escape(explainMethod!)}): [blue]{Markup.Escape(explainFolder)}[/]");
    }

    private static void PrintJson(PredictionRun run, List<string> models, EnsembleVote vote, string? outPath, IReadOnlyList<string> overlays, string? explainMethod)
    {
        var payload = new
        {
            models,
            vote = models.Count > 1 ? vote.ToString().ToLowerInvariant() : null,
            classes = run.ClassNames,
            predictions = run.Predictions.Select((p, i) => new
            {
                image = p.Image,
                plane = run.ClassNames[p.Predicted],
                probability = p.TopProbability,
                // In the order of "classes": class names are values in --json output, never keys.
                probabilities = p.Probabilities,
                heatmap = i < overlays.Count ? overlays[i] : null,
            }),
            unreadable = run.Unreadable.Select(u => new { image = u.Image, reason = u.Reason }),
            images_per_second = run.ImagesPerSecond,
            output = outPath,
            explain_method = explainMethod,
        };
        JsonOutput.Print(payload);
    }
}
