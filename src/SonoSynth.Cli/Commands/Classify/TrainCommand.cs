using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Data;
using SonoSynth.IO;
using SonoSynth.Models;
using SonoSynth.Training;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Classify;

/// <summary><c>sonosynth classify train</c>: one architecture, one regime, one seed, into one output folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "Architecture (resnet50, densenet169, vit_b_32, swin_t, medmamba_t, ...).", Required = true };
        var data = new Option<string>("--data") { Description = "Real data: a FETAL_PLANES_DB folder or a folder with one sub-folder per class.", Required = true };
        var synthetic = new Option<string?>("--synthetic") { Description = "Synthetic images: a generated folder (PNGs + manifest) or a data folder. Needed by every regime except real-only." };
        var regime = new Option<string>("--regime") { Description = $"One of: {string.Join(", ", TrainingRegimes.Names)}.", DefaultValueFactory = _ => "real-only" };
        var epochs = new Option<int>("--epochs") { Description = "Epochs on real data (fine-tuning, real-only, mixed). The paper: 200.", DefaultValueFactory = _ => 200 };
        var pretrainEpochs = new Option<int>("--pretrain-epochs") { Description = "Epochs on synthetic data (pretraining, synthetic-only). The paper: 200.", DefaultValueFactory = _ => 200 };
        var batchSize = new Option<int>("--batch-size") { Description = "Mini-batch size (the paper: 32).", DefaultValueFactory = _ => 32 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate (the paper: 1e-4).", DefaultValueFactory = _ => 1e-4 };
        var augment = new Option<string>("--augment") { Description = "Augmentation on real data: none, paper (rotation ±30°, flips), table12 (rotation, contrast clip, noise, crop) or a list such as rotate,hflip,noise.", DefaultValueFactory = _ => "paper" };
        var pretrainAugment = new Option<string>("--pretrain-augment") { Description = "Augmentation on synthetic data.", DefaultValueFactory = _ => "none" };
        var split = new Option<string>("--split") { Description = "random (seeded 80/20, the paper's), patient (no patient on both sides) or official (the CSV's Train column).", DefaultValueFactory = _ => "random" };
        var testFraction = new Option<double>("--test-fraction") { Description = "Test share for random and patient splits.", DefaultValueFactory = _ => 0.2 };
        var valFraction = new Option<double>("--val-fraction") { Description = "Share of the training split held out to choose the epoch (0 = none, only the paper's best-test epoch).", DefaultValueFactory = _ => 0.1 };
        var imageSize = new Option<int>("--image-size") { Description = "Images are resized to this square size (the paper: 128).", DefaultValueFactory = _ => 128 };
        var skipBad = new Option<bool>("--skip-bad") { Description = "Skip unreadable images (listed) instead of stopping." };
        var output = new Option<string>("--out") { Description = "Output folder (one per run: checkpoints, epochs.csv, predictions.csv, regime.json).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out exactly where it stopped; finished phases are not recomputed." };
        var splitSeed = new Option<int>("--split-seed") { Description = "Seed of the train/test/validation split; keep it fixed across --seed repeats so their predictions cover the same test images.", DefaultValueFactory = _ => 0 };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from a torchvision-format state dict (e.g. ImageNet weights saved with torch.save(model.state_dict())): an RGB first conv is summed to gray, a head for another class count is replaced." };
        var runtime = new RuntimeOptions(json: false);

        var command = new Command("train", "Train a plane classifier in one of the paper's regimes; records per-epoch train/test accuracy, " +
            "the best test accuracy (the paper's number) and the test accuracy at the epoch chosen on a validation split.\n" +
            "Example: sonosynth classify train --arch resnet50 --data FETAL_PLANES_DB --synthetic gen/round1 --regime pretrain-finetune --out runs/r50-s0 --seed 0");
        foreach (var option in new Option[] { arch, data, synthetic, regime, epochs, pretrainEpochs, batchSize, learningRate, augment, pretrainAugment,
                     split, splitSeed, testFraction, valFraction, imageSize, skipBad, output, resume, initFrom })
            command.Options.Add(option);
        runtime.AddTo(command);

        command.SetAction(parse => CommandAction.Run(() =>
        {
            var chosenRegime = TrainingRegimes.Parse(parse.GetValue(regime)!);
            var syntheticPath = parse.GetValue(synthetic);
            if (chosenRegime.NeedsSynthetic() && string.IsNullOrWhiteSpace(syntheticPath))
                throw new InputError($"--regime {chosenRegime.Name()} needs --synthetic <folder of generated images>.");
            var splitKind = parse.GetValue(split)!.Trim().ToLowerInvariant() switch
            {
                "random" => SplitKind.Random,
                "patient" => SplitKind.Patient,
                "official" => SplitKind.Official,
                var other => throw new InputError($"--split {other}: choose random, patient or official."),
            };
            double validationFraction = parse.GetValue(valFraction);
            if (validationFraction < 0 || validationFraction >= 1) throw new InputError($"--val-fraction must be in [0, 1) (got {validationFraction}).");
            int size = parse.GetValue(imageSize);
            if (size < 8) throw new InputError($"--image-size must be at least 8 (got {size}).");
            var architecture = parse.GetValue(arch)!;
            if (!ClassifierRegistry.Names.Contains(architecture))
                throw new InputError($"Unknown --arch '{architecture}'. Choose one of: {string.Join(", ", ClassifierRegistry.Names)}.");
            long runSeed = runtime.GetSeed(parse);
            var finetune = new ImageClassifierTrainingOptions(parse.GetValue(epochs), parse.GetValue(batchSize), parse.GetValue(learningRate), runSeed);
            var pretrain = finetune with { Epochs = parse.GetValue(pretrainEpochs), Seed = runSeed + 1_000_003 };
            finetune.Validate();
            pretrain.Validate();
            var realAugment = BatchAugmenter.AsTransform(AugmentationSettings.Parse(parse.GetValue(augment)!));
            var syntheticAugment = BatchAugmenter.AsTransform(AugmentationSettings.Parse(parse.GetValue(pretrainAugment)!));
            var torchDevice = runtime.Apply(parse);
            var folder = parse.GetValue(output)!;
            bool resuming = parse.GetValue(resume);

            using var folderLock = OutputFolderLock.Acquire(folder);
            var initPath = parse.GetValue(initFrom);
            var syntheticFull = syntheticPath is null ? null : Path.GetFullPath(syntheticPath);
            new RunFolder(folder).PinSettings(new RunSettings(architecture, Path.GetFullPath(parse.GetValue(data)!), syntheticFull, chosenRegime,
                finetune.Epochs, pretrain.Epochs, finetune.BatchSize, finetune.LearningRate, parse.GetValue(augment)!, parse.GetValue(pretrainAugment)!,
                splitKind, parse.GetValue(testFraction), validationFraction, size, runSeed, parse.GetValue(splitSeed),
                initPath is null ? null : Path.GetFullPath(initPath)), resuming);

            Interop.TorchvisionLoadReport? initReport = null;
            var result = ProgressDisplay.Run(progress =>
            {
                using var real = DataSources.Open(parse.GetValue(data)!, size, parse.GetValue(skipBad), progress);
                var dataSplit = real.Split(splitKind, parse.GetValue(splitSeed), 1 - parse.GetValue(testFraction));
                var (trainRows, validationRows) = ValidationSplit.Carve(dataSplit.TrainIndices, validationFraction, parse.GetValue(splitSeed),
                    real.HasPatientIds ? real.PatientIds : null);
                using var realTrain = real.Images.Subset(trainRows);
                using var test = real.Images.Subset(dataSplit.TestIndices);
                using var validation = validationRows.Count > 0 ? real.Images.Subset(validationRows) : null;
                using var syntheticSet = chosenRegime.NeedsSynthetic() ? DataSources.Open(syntheticPath!, size, parse.GetValue(skipBad), progress) : null;
                if (syntheticSet is not null && !syntheticSet.Images.ClassNames.SequenceEqual(real.Images.ClassNames))
                    throw new InputError($"--synthetic classes ({string.Join(", ", syntheticSet.Images.ClassNames)}) differ from --data classes " +
                        $"({string.Join(", ", real.Images.ClassNames)}).");
                var options = new ClassifierConfig(1, real.Images.ClassNames.Count, size);
                var runner = new RegimeRunner(new RegimeSettings(chosenRegime, finetune, pretrain, realAugment, syntheticAugment, runSeed))
                {
                    Device = torchDevice,
                    Progress = progress,
                };
                return runner.Run(() =>
                {
                    var model = ClassifierRegistry.Create(architecture, options);
                    if (initPath is not null) initReport = Interop.PretrainedWeights.LoadTorchvision(model, initPath);
                    return model;
                },
                    new RegimeData(realTrain, test, validation, syntheticSet?.Images), folder, resuming);
            });

            var table = new Table().AddColumns("phase", "epochs", "best test acc (epoch)", "test acc at val-chosen epoch", "final test acc", "data wait");
            foreach (var (phase, phaseResult) in result.Phases)
                table.AddRow(phase, phaseResult.Epochs.ToString(), $"{phaseResult.BestTestAccuracy:P2} ({phaseResult.BestTestEpoch})",
                    phaseResult.TestAccuracyAtSelectedEpoch is double honest ? $"{honest:P2} ({phaseResult.SelectedEpoch})" : "-",
                    $"{phaseResult.FinalTestAccuracy:P2}", $"{phaseResult.DataWaitShare:P1}");
            AnsiConsole.Write(table);
            if (initReport is not null) AnsiConsole.MarkupLine($"Initialised from {Markup.Escape(parse.GetValue(initFrom)!)}: {Markup.Escape(initReport.Summary)}.");
            AnsiConsole.MarkupLine($"Predictions ({Markup.Escape(Path.GetFileName(result.PredictionWeights))}, accuracy {result.Predictions.Accuracy:P2}): " +
                $"[blue]{Markup.Escape(result.PredictionsPath)}[/]");
            return 0;
        }));
        return command;
    }
}
