using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Imaging;
using SonoSynth.IO;
using SonoSynth.Runtime;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// Trains the ADM U-Net on ε-prediction MSE (+ Improved DDPM's VLB with learned σ): uniform t, AdamW, gradient-norm
/// clipping, EMA. Writes into its output folder: checkpoint.bin (weights, EMA, optimizer, step, RNG states; atomic),
/// loss.csv, and samples/step_NNNNNN.png grids from the EMA model. A run resumed from its checkpoint gives bit-identical
/// weights to an uninterrupted one: batches, t, noise and label dropout all come from one saved generator.
/// </summary>
public sealed class DiffusionTrainer(UNetConfig config, DiffusionTrainingOptions options, string outputFolder, Device? device = null)
{
    private readonly Device device = device ?? CPU;

    public string CheckpointPath => Path.Combine(outputFolder, DiffusionCheckpoint.FileName);
    public string LossLogPath => Path.Combine(outputFolder, StepLog.LossFileName);

    /// <summary>
    /// Loads <see cref="DiffusionTrainingOptions.InitFrom"/> into the fresh (seeded) model before the first step and
    /// returns what it copied and adapted. The caller supplies it, because reading another project's weights is
    /// Interop's job, which this folder does not use. Not called when resuming: the checkpoint already holds the weights.
    /// </summary>
    public Func<UNetModel, string>? Initialize { get; init; }

    /// <summary>
    /// Trains on <paramref name="data"/> (uint8 [N x C x S x S], S = config.ImageSize), scaled to [−1, 1].
    /// With <paramref name="resume"/> an existing checkpoint is continued; without it an existing checkpoint is an error.
    /// </summary>
    public DiffusionTrainingResult Train(LabelledImages data, bool resume = false, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        TrainingStart.Check(data, config.InChannels, config.ImageSize, "U-Net", outputFolder, CheckpointPath, resume);
        var modelConfig = options.ClassConditional
            ? config with { ClassCount = data.ClassNames.Count, NullLabel = options.LabelDropout > 0 }
            : config with { ClassCount = 0, NullLabel = false };

        torch.random.manual_seed(options.Seed);
        using var model = new UNetModel(modelConfig) { Precision = options.Precision };
        SeededInitialization.Apply(model, options.Seed);
        bool resuming = resume && File.Exists(CheckpointPath);
        string? initialization = resuming || options.InitFrom is null ? null : InitializeFrom(model, options.InitFrom);
        using var ema = new UNetModel(modelConfig) { Precision = options.Precision };
        model.to(device);
        ema.to(device);
        ExponentialMovingAverage.CopyInto(model, ema);
        ema.eval();
        using var optimizer = new TrainingKit.AdamW(model.parameters(), options.LearningRate, options.WeightDecay);
        using var rng = new Generator((ulong)options.Seed + 1);
        var schedule = NoiseSchedule.Create(options.Schedule, options.DiffusionSteps);
        long step = 0;
        var lossScaler = options.Precision == ComputePrecision.Fp16 ? new DynamicLossScaler() : null;
        if (resuming)
            (step, lossScaler) = LoadCheckpoint(modelConfig, model, ema, optimizer, rng, data.ClassNames, lossScaler);
        var log = new StepLog(LossLogPath, "step,loss,mse,vb,seconds", step);
        var loop = new StepLoop
        {
            Steps = options.Steps, CheckpointEvery = options.CheckpointEvery, TimeBudget = options.TimeBudget, CheckpointPath = CheckpointPath,
            Stage = "diffusion training", Progress = progress, ImagesPerStep = options.BatchSize,
            DivergenceAdvice = "Lower --lr or keep --grad-clip on, then rerun with --resume.",
        };
        model.train();
        var result = loop.Run(step, log, done =>
        {
            var (loss, mse, vb, tookStep) = TrainStep(model, optimizer, schedule, data, rng, modelConfig, lossScaler);
            if (!double.IsFinite(loss)) return loss;
            // A float16 step skipped for overflowing gradients leaves the EMA alone too (guided-diffusion's took_step).
            // The step count is in the checkpoint, so a resumed run continues the warm-up exactly.
            if (tookStep) ExponentialMovingAverage.Update(model, ema, ExponentialMovingAverage.Decay(options.EmaRate, done, options.EmaWarmup));
            log.Add($"{done + 1},{loss:R},{mse:R},{vb:R},{loop.Elapsed.TotalSeconds:F3}");
            return loss;
        }, saved => SaveCheckpoint(modelConfig, model, ema, optimizer, rng, saved, data.ClassNames, lossScaler), cancellation,
            afterStep: done => { if (done % options.SampleEvery == 0) SaveSampleGrid(ema, done); });
        return new DiffusionTrainingResult(result.Step, result.LastLoss, CheckpointPath, result.StopReason, initialization);
    }

    /// <summary>Starts the fresh model from <see cref="Initialize"/> and writes what was adapted to initialization.txt.</summary>
    private string InitializeFrom(UNetModel model, string path)
    {
        var initialize = Initialize ?? throw new ArgumentException(
            $"InitFrom '{path}' is set but no Initialize loader was given; the caller loads the weights (Interop.GuidedDiffusionWeights.InitFromFile).");
        var summary = initialize(model);
        AtomicFile.WriteAllText(Path.Combine(outputFolder, "initialization.txt"), $"--init-from {path}\n{summary}\n");
        return summary;
    }

    private (double Loss, double Mse, double? Vb, bool TookStep) TrainStep(UNetModel model, TorchSharp.Modules.AdamW optimizer,
        NoiseSchedule schedule, LabelledImages data, Generator rng, UNetConfig modelConfig, DynamicLossScaler? lossScaler)
    {
        var (rows, x0) = NoisedBatch.DrawImages(data, options.BatchSize, rng, device, options.HorizontalFlip);
        Tensor? labels = null;
        if (modelConfig.ClassCount > 0)
        {
            labels = data.LabelBatch(rows);
            if (options.LabelDropout > 0)
            {
                var drop = torch.rand([options.BatchSize], generator: rng).lt(options.LabelDropout);
                labels = torch.where(drop, torch.full_like(labels, modelConfig.ClassCount), labels);
            }
            labels = labels.to(device);
        }
        var (timesteps, noise, xt) = NoisedBatch.Of(schedule, x0, rng);
        var output = model.call(xt, timesteps, labels);
        var terms = DiffusionLoss.Compute(schedule, modelConfig.LearnSigma, output, x0, xt, timesteps, noise);
        var loss = terms.Loss.mean();
        double lossValue = loss.item<float>();
        if (!double.IsFinite(lossValue)) return (lossValue, double.NaN, null, false);
        optimizer.zero_grad();
        (lossScaler is null ? loss : lossScaler.Scale(loss)).backward();
        bool tookStep = lossScaler?.Unscale(model.parameters()) ?? true;
        if (tookStep)
        {
            if (options.GradientClipNorm > 0) nn.utils.clip_grad_norm_(model.parameters(), options.GradientClipNorm);
            optimizer.step();
        }
        return (lossValue, terms.Mse.mean().item<float>(), terms.Vb?.mean().item<float>(), tookStep);
    }

    private void SaveCheckpoint(UNetConfig modelConfig, UNetModel model, UNetModel ema, TorchSharp.Modules.AdamW optimizer,
        Generator rng, long step, IReadOnlyList<string> classNames, DynamicLossScaler? lossScaler)
    {
        var header = new DiffusionCheckpointHeader(DiffusionCheckpoint.KindName, modelConfig, options, step, classNames, lossScaler?.Log2Scale);
        DiffusionCheckpoint.Save(CheckpointPath, header, model, ema, optimizer, rng);
    }

    private (long Step, DynamicLossScaler? LossScaler) LoadCheckpoint(UNetConfig modelConfig, UNetModel model, UNetModel ema,
        TorchSharp.Modules.AdamW optimizer, Generator rng, IReadOnlyList<string> classNames, DynamicLossScaler? lossScaler)
    {
        var header = CheckpointFile.Load<DiffusionCheckpointHeader>(CheckpointPath, (h, sections) =>
        {
            if (h.Kind != DiffusionCheckpoint.KindName)
                throw new InputError($"'{CheckpointPath}' holds a {h.Kind}, not a diffusion U-Net; choose another --out folder.");
            if (System.Text.Json.JsonSerializer.Serialize(h.Config, CheckpointFile.Json) !=
                System.Text.Json.JsonSerializer.Serialize(modelConfig, CheckpointFile.Json))
                throw new InputError($"'{CheckpointPath}' was trained with another U-Net configuration; resume with the same " +
                    "--preset and flags, or choose another --out folder.");
            if (!h.ClassNames.SequenceEqual(classNames))
                throw new InputError($"'{CheckpointPath}' was trained on classes [{string.Join(", ", h.ClassNames)}], " +
                    $"not [{string.Join(", ", classNames)}]. Resume on the same data set.");
            DiffusionCheckpoint.ReadTrainingState(sections, model, ema, optimizer, rng);
        });
        return (header.Step, lossScaler is null ? null : new DynamicLossScaler(header.LossScaleLog2 ?? DynamicLossScaler.InitialLog2Scale));
    }

    private void SaveSampleGrid(UNetModel ema, long step)
    {
        int count = options.SampleCount;
        var cfg = ema.Config;
        using var labels = cfg.ClassCount > 0
            ? torch.tensor(Enumerable.Range(0, count).Select(i => (long)(i % cfg.ClassCount)).ToArray()) : null;
        var generator = new ImageGenerator(ema, new SamplingOptions(SamplerKind.Ddim, options.SampleRespacing,
            Schedule: options.Schedule, DiffusionSteps: options.DiffusionSteps, Precision: options.Precision));
        using var images = generator.Generate(labels, Enumerable.Range(0, count).Select(i => (long)i).ToArray());
        ImageGrid.Save(Path.Combine(outputFolder, "samples", $"step_{step:D6}.png"), images.cpu(),
            columns: cfg.ClassCount > 0 ? cfg.ClassCount : (int)Math.Ceiling(Math.Sqrt(count)), signed: true);
    }
}
