using System.Diagnostics;
using System.Globalization;
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
    public string LossLogPath => Path.Combine(outputFolder, "loss.csv");

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
        using var optimizer = torch.optim.AdamW(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        using var rng = new Generator((ulong)options.Seed + 1);
        var schedule = NoiseSchedule.Create(options.Schedule, options.DiffusionSteps);
        long step = 0;
        var lossScaler = options.Precision == ComputePrecision.Fp16 ? new DynamicLossScaler() : null;
        if (resuming)
            (step, lossScaler) = LoadCheckpoint(modelConfig, model, ema, optimizer, rng, data.ClassNames, lossScaler);
        TrimLossLog(step);

        var clock = Stopwatch.StartNew();
        var pendingLog = new List<string>();
        long lastSaved = step, imagesSeen = 0;
        double lastLoss = double.NaN;
        string stopReason = "steps";
        model.train();
        while (step < options.Steps)
        {
            if (options.TimeBudget is { } budget && clock.Elapsed >= budget) { stopReason = "time budget"; break; }
            if (cancellation.IsCancellationRequested) { stopReason = "cancelled"; break; }
            using (var scope = NewDisposeScope())
            {
                var (loss, mse, vb, tookStep) = TrainStep(model, optimizer, schedule, data, rng, modelConfig, lossScaler);
                if (!double.IsFinite(loss))
                {
                    FlushLossLog(pendingLog);
                    throw new NonFiniteLossException(
                        $"The loss became {loss} at step {step + 1}; training stopped. The last good checkpoint (step {lastSaved}) " +
                        $"is kept at '{CheckpointPath}'. Lower --lr or keep --grad-clip on, then rerun with --resume.");
                }
                // A float16 step skipped for overflowing gradients leaves the EMA alone too (guided-diffusion's took_step).
                // The step count is in the checkpoint, so a resumed run continues the warm-up exactly.
                if (tookStep) ExponentialMovingAverage.Update(model, ema, ExponentialMovingAverage.Decay(options.EmaRate, step, options.EmaWarmup));
                step++;
                imagesSeen += options.BatchSize;
                lastLoss = loss;
                pendingLog.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{step},{loss:R},{mse:R},{(vb is null ? "" : vb.Value.ToString("R", CultureInfo.InvariantCulture))},{clock.Elapsed.TotalSeconds:F3}"));
            }
            if (step % options.CheckpointEvery == 0)
            {
                FlushLossLog(pendingLog);
                SaveCheckpoint(modelConfig, model, ema, optimizer, rng, step, data.ClassNames, lossScaler);
                lastSaved = step;
            }
            if (step % options.SampleEvery == 0) SaveSampleGrid(ema, step);
            progress?.Report(ProgressUpdate.Of("diffusion training", step, options.Steps, ("loss", lastLoss),
                ("img/s", imagesSeen / Math.Max(1e-9, clock.Elapsed.TotalSeconds))));
        }
        FlushLossLog(pendingLog);
        if (step != lastSaved || !File.Exists(CheckpointPath))
            SaveCheckpoint(modelConfig, model, ema, optimizer, rng, step, data.ClassNames, lossScaler);
        return new DiffusionTrainingResult(step, lastLoss, CheckpointPath, stopReason, initialization);
    }

    /// <summary>Loads a guided-diffusion checkpoint into the fresh model and writes what was adapted to initialization.txt.</summary>
    private string InitializeFrom(UNetModel model, string path)
    {
        var tensors = Interop.StateDictFile.Read(path);
        try
        {
            var report = Interop.GuidedDiffusionWeights.InitFrom(model, tensors, path);
            AtomicFile.WriteAllText(Path.Combine(outputFolder, "initialization.txt"), $"--init-from {path}\n{report.Summary}\n");
            return report.Summary;
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    private (double Loss, double Mse, double? Vb, bool TookStep) TrainStep(UNetModel model, TorchSharp.Modules.AdamW optimizer,
        NoiseSchedule schedule, LabelledImages data, Generator rng, UNetConfig modelConfig, DynamicLossScaler? lossScaler)
    {
        int batch = options.BatchSize;
        var rows = torch.randint(0, data.Count, [batch], generator: rng, dtype: ScalarType.Int64);
        var x0 = (data.FloatBatch(rows.data<long>().ToArray()) * 2 - 1).to(device);
        if (options.HorizontalFlip)
        {
            var flip = torch.rand([batch, 1, 1, 1], generator: rng).lt(0.5).to(device);
            x0 = torch.where(flip, x0.flip(3), x0);
        }
        Tensor? labels = null;
        if (modelConfig.ClassCount > 0)
        {
            labels = data.LabelBatch(rows.data<long>().ToArray());
            if (options.LabelDropout > 0)
            {
                var drop = torch.rand([batch], generator: rng).lt(options.LabelDropout);
                labels = torch.where(drop, torch.full_like(labels, modelConfig.ClassCount), labels);
            }
            labels = labels.to(device);
        }
        var timesteps = torch.randint(0, schedule.Count, [batch], generator: rng, dtype: ScalarType.Int64).to(device);
        var noise = torch.randn(x0.shape, generator: rng).to(device);
        var xt = schedule.QSample(x0, timesteps, noise);
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
        var header = CheckpointFile.Load<DiffusionCheckpointHeader>(CheckpointPath, (h, reader) =>
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
            model.load(reader);
            ema.load(reader);
            optimizer.load_state_dict(reader);
            CheckpointFile.ReadRandomStates(reader, rng);
        });
        return (header.Step, lossScaler is null ? null : new DynamicLossScaler(header.LossScaleLog2 ?? DynamicLossScaler.InitialLog2Scale));
    }

    private void TrimLossLog(long step)
    {
        const string columns = "step,loss,mse,vb,seconds";
        if (!File.Exists(LossLogPath) || step == 0) { AtomicFile.WriteAllText(LossLogPath, columns + "\n"); return; }
        var kept = File.ReadAllLines(LossLogPath).Skip(1)
            .Where(line => long.TryParse(line.Split(',')[0], CultureInfo.InvariantCulture, out var s) && s <= step);
        AtomicFile.WriteAllText(LossLogPath, string.Join("\n", kept.Prepend(columns)) + "\n");
    }

    private void FlushLossLog(List<string> pending)
    {
        if (pending.Count == 0) return;
        File.AppendAllLines(LossLogPath, pending);
        pending.Clear();
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
