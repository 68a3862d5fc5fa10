using System.Globalization;
using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.IO;
using SonoSynth.Runtime;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>Header of a noise-aware classifier checkpoint.</summary>
public sealed record ClassifierCheckpointHeader(string Kind, NoiseClassifierConfig Config, NoiseClassifierTrainingOptions Options, long Step,
    IReadOnlyList<string> ClassNames);

/// <summary>Accuracy of the classifier on x_t with t in [<see cref="FromTimestep"/>, <see cref="ToTimestep"/>).</summary>
public sealed record TimestepBandAccuracy(int FromTimestep, int ToTimestep, int Images, double Accuracy);

public sealed record ClassifierTrainingResult(long Step, double LastLoss, string CheckpointPath, string StopReason,
    IReadOnlyList<TimestepBandAccuracy> AccuracyByBand);

/// <summary>
/// Trains the noise-aware classifier p_φ(y | x_t, t) used for classifier guidance. Writes checkpoint.bin (atomic;
/// resumable exactly like <see cref="DiffusionTrainer"/>), loss.csv, and accuracy_by_t.csv at the end.
/// </summary>
public sealed class NoiseClassifierTrainer(NoiseClassifierConfig config, NoiseClassifierTrainingOptions options, string outputFolder, Device? device = null)
{
    public const string KindName = "noise-classifier";
    private readonly Device device = device ?? CPU;

    public string CheckpointPath => Path.Combine(outputFolder, "checkpoint.bin");

    public ClassifierTrainingResult Train(LabelledImages data, LabelledImages? evaluation = null, bool resume = false,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        TrainingStart.Check(data, config.InChannels, config.ImageSize, "classifier", outputFolder, CheckpointPath, resume);
        var modelConfig = config with { ClassCount = data.ClassNames.Count };

        torch.random.manual_seed(options.Seed);
        using var model = new NoiseAwareClassifier(modelConfig);
        SeededInitialization.Apply(model, options.Seed);
        model.to(device);
        using var optimizer = new TrainingKit.AdamW(model.parameters(), options.LearningRate, options.WeightDecay);
        using var rng = new Generator((ulong)options.Seed + 1);
        var schedule = NoiseSchedule.Create(options.Schedule, options.DiffusionSteps);
        long step = 0;
        if (resume && File.Exists(CheckpointPath))
        {
            var header = CheckpointFile.Load<ClassifierCheckpointHeader>(CheckpointPath, (h, sections) =>
            {
                if (h.Kind != KindName) throw new InputError($"'{CheckpointPath}' holds a {h.Kind}, not a noise-aware classifier.");
                if (!h.ClassNames.SequenceEqual(data.ClassNames))
                    throw new InputError($"'{CheckpointPath}' was trained on other classes; resume on the same data set.");
                sections.Section("model", r => model.load(r));
                sections.Section("optimizer", r => optimizer.load_state_dict(r));
                sections.RandomStates(rng);
            });
            step = header.Step;
        }
        var log = new StepLog(Path.Combine(outputFolder, StepLog.LossFileName), "step,loss,accuracy", step);
        var loop = new StepLoop
        {
            Steps = options.Steps, CheckpointEvery = options.CheckpointEvery, TimeBudget = options.TimeBudget, CheckpointPath = CheckpointPath,
            Stage = "classifier training", Progress = progress,
        };
        model.train();
        var result = loop.Run(step, log, done =>
        {
            // Every random draw is for the whole batch, so slicing it into microbatches changes only the summation order.
            var (rows, x0) = NoisedBatch.DrawImages(data, options.BatchSize, rng, device, options.HorizontalFlip,
                options.RandomCrop ? RandomCrop : null);
            var labels = data.LabelBatch(rows).to(device);
            var noised = NoisedBatch.Of(schedule, x0, rng);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = options.LearningRateAt(done);
            optimizer.zero_grad();
            int slice = options.Microbatch > 0 ? Math.Min(options.Microbatch, options.BatchSize) : options.BatchSize;
            var (loss, correct) = AccumulateGradients(model, noised.Xt, noised.Timesteps, labels, slice);
            if (!double.IsFinite(loss)) return loss;
            if (options.GradientClipNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), options.GradientClipNorm);
            optimizer.step();
            log.Add($"{done + 1},{loss:R},{correct / (double)options.BatchSize:R}");
            return loss;
        }, saved => SaveCheckpoint(CheckpointPath, new ClassifierCheckpointHeader(KindName, modelConfig, options, saved, data.ClassNames),
            model, optimizer, rng), cancellation);
        var bands = EvaluateByBand(model, evaluation ?? data, schedule, options.TimestepBands, options.EvaluationImagesPerBand,
            options.Seed + 2, device);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "accuracy_by_t.csv"), "from_t,to_t,images,accuracy\n" + string.Join("",
            bands.Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.FromTimestep},{b.ToTimestep},{b.Images},{b.Accuracy:R}\n"))));
        return new ClassifierTrainingResult(result.Step, result.LastLoss, CheckpointPath, result.StopReason, bands);
    }

    /// <summary>
    /// Backward over the batch in slices of <paramref name="slice"/> (guided-diffusion's --microbatch): each slice's mean
    /// loss is weighted by its share of the batch, so the gradients add up to the whole batch's. Returns the batch's mean
    /// loss and the number of correct predictions.
    /// </summary>
    internal static (double Loss, long Correct) AccumulateGradients(NoiseAwareClassifier model, Tensor xt, Tensor timesteps, Tensor labels, int slice)
    {
        long batch = labels.shape[0];
        double lossSum = 0;
        long correct = 0;
        for (long start = 0; start < batch; start += slice)
        {
            long count = Math.Min(slice, batch - start);
            using var scope = NewDisposeScope();
            var sliceLabels = labels.narrow(0, start, count);
            var logits = model.call(xt.narrow(0, start, count), timesteps.narrow(0, start, count));
            var loss = nn.functional.cross_entropy(logits, sliceLabels) * ((double)count / batch);
            lossSum += loss.item<float>();
            if (!double.IsFinite(lossSum)) return (lossSum, correct);
            loss.backward();
            correct += logits.argmax(1).eq(sliceLabels).sum().item<long>();
        }
        return (lossSum, correct);
    }

    /// <summary>
    /// guided-diffusion's random_crop_arr (load_data(random_crop=True) in classifier_train.py) on prepared images: each is
    /// scaled by a factor drawn from [1, 1/0.8] (its min_crop_frac 0.8), bicubic, and cropped back to its size at a random
    /// offset. guided-diffusion scales the original photograph; ours start from the prepared size, so they are a little softer.
    /// </summary>
    public static Tensor RandomCrop(Tensor images, Generator rng)
    {
        using var scope = NewDisposeScope();
        long count = images.shape[0];
        int height = (int)images.shape[2], width = (int)images.shape[3];
        var factors = (torch.rand([count], generator: rng, dtype: ScalarType.Float64) * 0.25 + 1).data<double>().ToArray();
        var offsets = torch.rand([count, 2], generator: rng, dtype: ScalarType.Float64).data<double>().ToArray();
        var cropped = new List<Tensor>();
        for (int i = 0; i < count; i++)
        {
            int scaledHeight = (int)Math.Round(height * factors[i]), scaledWidth = (int)Math.Round(width * factors[i]);
            var scaled = nn.functional.interpolate(images.narrow(0, i, 1), [scaledHeight, scaledWidth], mode: InterpolationMode.Bicubic,
                align_corners: false).clamp(-1, 1);
            int top = (int)(offsets[2 * i] * (scaledHeight - height + 1)), left = (int)(offsets[2 * i + 1] * (scaledWidth - width + 1));
            cropped.Add(scaled.narrow(2, top, height).narrow(3, left, width));
        }
        return torch.cat(cropped, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Accuracy on x_t for t drawn uniformly inside each of <paramref name="bandCount"/> equal bands of [0, T), on
    /// <paramref name="imagesPerBand"/> images (cycling through the set) with seeded noise.
    /// </summary>
    public static IReadOnlyList<TimestepBandAccuracy> EvaluateByBand(NoiseAwareClassifier model, LabelledImages data,
        NoiseSchedule schedule, int bandCount, int imagesPerBand, long seed, Device? device = null)
    {
        device ??= CPU;
        bool wasTraining = model.training;
        model.eval();
        using var noGrad = torch.no_grad();
        using var rng = new Generator((ulong)seed);
        var results = new List<TimestepBandAccuracy>();
        for (int band = 0; band < bandCount; band++)
        {
            int from = band * schedule.Count / bandCount, to = (band + 1) * schedule.Count / bandCount;
            int correct = 0;
            for (int start = 0; start < imagesPerBand; start += 32)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(32, imagesPerBand - start);
                var rows = Enumerable.Range(start, count).Select(i => (long)(i % data.Count)).ToArray();
                var x0 = (data.FloatBatch(rows) * 2 - 1).to(device);
                var noised = NoisedBatch.Of(schedule, x0, rng, from, to);
                correct += (int)model.call(noised.Xt, noised.Timesteps).argmax(1).cpu().eq(data.LabelBatch(rows)).sum().item<long>();
            }
            results.Add(new TimestepBandAccuracy(from, to, imagesPerBand, correct / (double)imagesPerBand));
        }
        model.train(wasTraining);
        return results;
    }

    /// <summary>Writes a classifier checkpoint: header, then "model", "optimizer" and "random" (the order <see cref="Train"/> reads).</summary>
    public static void SaveCheckpoint(string path, ClassifierCheckpointHeader header, NoiseAwareClassifier model,
        TorchSharp.Modules.AdamW optimizer, Generator rng) =>
        CheckpointFile.Save(path, header, sections =>
        {
            sections.Section("model", w => model.save(w));
            sections.Section("optimizer", w => optimizer.save_state_dict(w));
            sections.RandomStates(rng);
        });

    /// <summary>Loads a trained classifier for guidance.</summary>
    public static (NoiseAwareClassifier Model, ClassifierCheckpointHeader Header) Load(string path, Device? device = null)
    {
        NoiseAwareClassifier? model = null;
        var header = CheckpointFile.Load<ClassifierCheckpointHeader>(path, (h, sections) =>
        {
            if (h.Kind != KindName) throw new InputError($"'{path}' holds a {h.Kind}, not a noise-aware classifier. Pass the classifier's checkpoint.bin.");
            model = new NoiseAwareClassifier(h.Config);
            sections.Section("model", r => model.load(r));
        });
        if (device is not null) model!.to(device);
        model!.eval();
        return (model, header);
    }
}
