using SonoSynth.Diffusion.Schedules;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// Diffusion training settings (guided-diffusion's train_util defaults where it has one: AdamW lr 1e-4, weight decay 0,
/// EMA 0.9999, uniform t). <see cref="EmaWarmup"/> ramps the EMA decay up as diffusers does (see
/// <see cref="ExponentialMovingAverage"/>); guided-diffusion has no warm-up, which matters only for short runs. Training stops after <see cref="Steps"/> or <see cref="TimeBudget"/>, whichever comes first.
/// <see cref="LabelDropout"/> &gt; 0 replaces labels by the null label with that probability (classifier-free guidance).
/// <see cref="Precision"/> is guided-diffusion's --use_fp16 (fp16 with float32 master weights and dynamic loss scaling).
/// <see cref="InitFrom"/>: a guided-diffusion checkpoint to start from, loaded by <see cref="DiffusionTrainer.Initialize"/>.
/// </summary>
public sealed record DiffusionTrainingOptions(
    int Steps = 10_000,
    TimeSpan? TimeBudget = null,
    int BatchSize = 16,
    double LearningRate = 1e-4,
    double WeightDecay = 0,
    double EmaRate = 0.9999,
    double GradientClipNorm = 1.0,
    bool ClassConditional = true,
    double LabelDropout = 0,
    bool HorizontalFlip = false,
    NoiseScheduleKind Schedule = NoiseScheduleKind.Linear,
    int DiffusionSteps = 1000,
    int CheckpointEvery = 500,
    int SampleEvery = 1000,
    string SampleRespacing = "ddim25",
    int SampleCount = 12,
    long Seed = 0,
    SonoSynth.Diffusion.Networks.ComputePrecision Precision = SonoSynth.Diffusion.Networks.ComputePrecision.Fp32,
    string? InitFrom = null,
    bool EmaWarmup = true)
{
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1; got {Steps}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1; got {BatchSize}.");
        if (LearningRate <= 0) throw new ArgumentException($"--lr must be positive; got {LearningRate}.");
        if (EmaRate is < 0 or >= 1) throw new ArgumentException($"--ema-rate must be in [0, 1); got {EmaRate}.");
        if (LabelDropout is < 0 or >= 1) throw new ArgumentException($"--label-dropout must be in [0, 1); got {LabelDropout}.");
        if (LabelDropout > 0 && !ClassConditional) throw new ArgumentException("--label-dropout needs a class-conditional model.");
        if (CheckpointEvery < 1 || SampleEvery < 1) throw new ArgumentException("--checkpoint-every and --sample-every must be at least 1.");
        TimestepRespacing.Select(DiffusionSteps, SampleRespacing);
    }
}
