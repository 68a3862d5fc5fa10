using System.Diagnostics;
using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.IO;
using SonoSynth.Models;
using SonoSynth.Runtime;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// Trains one classifier for one phase as the paper does (Section 4.3): Adam, cross-entropy, shuffled mini-batches,
/// test accuracy after every epoch, best test accuracy and its epoch recorded. Beyond the paper it also evaluates a
/// validation split each epoch and reports the test accuracy at the epoch validation would have chosen.
/// <para>
/// Output folder: <c>checkpoint.bin</c> (after every epoch, atomic; <c>resume</c> continues bit-exactly),
/// <c>epochs.csv</c>, <c>best-test.weights</c> (the paper's pick), <c>selected.weights</c> (validation's pick),
/// <c>final.weights</c> and <c>result.json</c> when finished. A NaN/Inf loss stops with
/// <see cref="NonFiniteLossException"/> before the optimizer step, so the checkpoint on disk stays the last good one.
/// </para>
/// </summary>
public sealed class ImageClassifierTrainer(ImageClassifierTrainingOptions config)
{
    public const string CheckpointFile = "checkpoint.bin";
    public const string LogFile = "epochs.csv";
    public const string BestTestWeightsFile = "best-test.weights";
    public const string SelectedWeightsFile = "selected.weights";
    public const string FinalWeightsFile = "final.weights";
    public const string ResultFile = "result.json";

    public ImageClassifierTrainingOptions Config { get; } = config;
    public Device Device { get; init; } = CPU;

    /// <summary>Training-time augmentation of a float batch [B x C x H x W] in [0,1]; randomness only from the generator.</summary>
    public Func<Tensor, Generator, Tensor>? Augment { get; init; }

    public TrainableParameters Trainable { get; init; } = TrainableParameters.All;
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>Name of this phase in progress reports.</summary>
    public string Stage { get; init; } = "train";

    /// <summary>Stop (with a checkpoint) after this epoch even if Config.Epochs is larger: for time-boxed runs.</summary>
    public int? StopAfterEpoch { get; init; }

    public TrainingResult Train(ImageClassifier model, LabelledImages train, LabelledImages test, LabelledImages? validation,
        string folder, bool resume = false, CancellationToken cancellation = default)
    {
        Config.Validate();
        if (train.Count < 2) throw new InputError($"Phase '{Stage}': the training set has {train.Count} images; at least 2 are needed.");
        if (test.Count == 0) throw new InputError($"Phase '{Stage}': the test set is empty.");
        if (!train.ClassNames.SequenceEqual(test.ClassNames) || (validation is not null && !validation.ClassNames.SequenceEqual(train.ClassNames)))
            throw new InputError($"Phase '{Stage}': training, test and validation sets must have the same classes.");
        if (model.Options.NumClasses != train.ClassNames.Count)
            throw new InputError($"Phase '{Stage}': the model has {model.Options.NumClasses} classes but the data has {train.ClassNames.Count}.");
        Directory.CreateDirectory(folder);
        var checkpointPath = Path.Combine(folder, CheckpointFile);
        if (!resume && File.Exists(checkpointPath))
            throw new InputError($"'{folder}' already holds a training run ({CheckpointFile}). Pass --resume to continue it, or choose another output folder.");

        model.to(Device);
        if (Trainable == TrainableParameters.HeadOnly) LayerFreezing.FreezeAllButHead(model);
        else LayerFreezing.Unfreeze(model);
        var trainable = Trainable == TrainableParameters.HeadOnly
            ? model.HeadParameters().ToList() : model.parameters().ToList();
        using var optimizer = optim.Adam(trainable, lr: Config.LearningRate);
        using var shuffle = new Generator((ulong)Config.Seed);
        using var augmentRng = new Generator((ulong)Config.Seed ^ 0x9E3779B97F4A7C15UL);
        var history = new List<EpochRecord>();
        string architecture = model.GetName();

        if (resume && File.Exists(checkpointPath))
            history.AddRange(ImageClassifierCheckpoint.Load(checkpointPath, model, optimizer, Trainable, shuffle, augmentRng).History);
        else
            torch.random.manual_seed(Config.Seed); // dropout and other global-generator users

        int lastEpoch = Math.Min(Config.Epochs, StopAfterEpoch ?? int.MaxValue);
        int stepsPerEpoch = BatchesPerEpoch(train.Count);
        long totalSteps = (long)Config.Epochs * stepsPerEpoch;
        for (int epoch = history.Count + 1; epoch <= lastEpoch; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            var record = RunEpoch(model, optimizer, train, test, validation, epoch, shuffle, augmentRng, stepsPerEpoch, totalSteps, checkpointPath, cancellation);
            var previous = history.Count == 0 ? null : TrainingResult.FromHistory(history);
            history.Add(record);
            if (previous is null || record.TestAccuracy > previous.BestTestAccuracy)
                SaveWeights(model, Path.Combine(folder, BestTestWeightsFile));
            if (record.ValidationAccuracy is double v && (previous?.BestValidationAccuracy is not double best || v > best))
                SaveWeights(model, Path.Combine(folder, SelectedWeightsFile));
            TrainingLog.Write(Path.Combine(folder, LogFile), history);
            ImageClassifierCheckpoint.Save(checkpointPath, model, optimizer,
                new ImageClassifierCheckpointHeader(epoch, architecture, model.Options.NumClasses, Trainable.ToString(), history), shuffle, augmentRng);
        }

        var result = TrainingResult.FromHistory(history);
        if (history.Count >= Config.Epochs)
        {
            SaveWeights(model, Path.Combine(folder, FinalWeightsFile));
            AtomicFile.WriteAllText(Path.Combine(folder, ResultFile), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }
        return result;
    }

    /// <summary>Reads a finished phase's result.json, or null if the phase has not finished.</summary>
    public static TrainingResult? ReadResult(string folder)
    {
        var path = Path.Combine(folder, ResultFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<TrainingResult>(File.ReadAllText(path)) : null;
    }

    public static void SaveWeights(ImageClassifier model, string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            model.save(writer);
        });

    public static void LoadWeights(ImageClassifier model, string path)
    {
        if (!File.Exists(path)) throw new InputError($"Weights file '{path}' does not exist.");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        model.load(reader);
    }

    // A last batch of one image is dropped: BatchNorm cannot normalise a single sample in training mode.
    private int BatchesPerEpoch(int count) =>
        count / Config.BatchSize + (count % Config.BatchSize > 1 ? 1 : 0);

    private EpochRecord RunEpoch(ImageClassifier model, TorchSharp.Modules.OptimizerHelper optimizer, LabelledImages train, LabelledImages test,
        LabelledImages? validation, int epoch, Generator shuffle, Generator augmentRng, int stepsPerEpoch, long totalSteps,
        string checkpointPath, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        model.train();
        if (Trainable == TrainableParameters.HeadOnly) LayerFreezing.KeepRunningStatisticsFixed(model);
        long[] order;
        using (var permutation = randperm(train.Count, generator: shuffle)) order = permutation.data<long>().ToArray();
        var batches = new List<long[]>(stepsPerEpoch);
        for (int b = 0; b < stepsPerEpoch; b++)
            batches.Add(order.AsSpan(b * Config.BatchSize, Math.Min(Config.BatchSize, order.Length - b * Config.BatchSize)).ToArray());

        double lossSum = 0;
        long correct = 0, seen = 0;
        int step = 0;
        using (var prefetcher = new BatchPrefetcher(train, batches, Augment, augmentRng, Device))
        {
            while (prefetcher.Take() is { } batch)
            {
                using var _ = batch;
                using var scope = NewDisposeScope();
                cancellation.ThrowIfCancellationRequested();
                step++;
                Tensor logits;
                if (Trainable == TrainableParameters.HeadOnly)
                {
                    Tensor features;
                    using (no_grad()) features = model.ForwardFeatures(batch.Images);
                    logits = model.ForwardHead(features);
                }
                else logits = model.call(batch.Images);
                var loss = nn.functional.cross_entropy(logits, batch.Labels);
                float lossValue = loss.item<float>();
                if (!float.IsFinite(lossValue))
                    throw new NonFiniteLossException(NonFiniteLossException.Describe(
                        $"Phase '{Stage}': the training loss became {lossValue} at epoch {epoch}, batch {step}",
                        File.Exists(checkpointPath) ? $"epoch {epoch - 1}" : null, checkpointPath,
                        "Lower the learning rate (--lr) or check the input images."));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                lossSum += lossValue * batch.Count;
                correct += logits.argmax(1).eq(batch.Labels).sum().item<long>();
                seen += batch.Count;
                Progress?.Report(ProgressUpdate.Of(Stage, (long)(epoch - 1) * stepsPerEpoch + step, totalSteps,
                    ("epoch", epoch), ("loss", lossSum / seen), ("acc", correct / (double)seen),
                    ("img/s", seen / Math.Max(1e-9, watch.Elapsed.TotalSeconds))));
            }
            double trainSeconds = watch.Elapsed.TotalSeconds;
            double imagesPerSecond = seen / Math.Max(1e-9, trainSeconds);
            double waitShare = prefetcher.WaitSeconds / Math.Max(1e-9, trainSeconds);
            double testAccuracy = ModelPredictor.Accuracy(model, test, Device, Config.EvaluationBatchSize);
            double? validationAccuracy = validation is { Count: > 0 } ? ModelPredictor.Accuracy(model, validation, Device, Config.EvaluationBatchSize) : null;
            return new EpochRecord(epoch, lossSum / seen, correct / (double)seen, testAccuracy, validationAccuracy,
                imagesPerSecond, waitShare, watch.Elapsed.TotalSeconds);
        }
    }
}
