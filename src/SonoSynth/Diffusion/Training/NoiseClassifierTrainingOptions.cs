using SonoSynth.Diffusion.Schedules;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// Noise-aware classifier training (guided-diffusion's classifier_train.py: AdamW lr 3e-4, weight decay 0.05 as in its
/// README flags, cross-entropy on x_t at uniform random t). Accuracy is reported per band of t
/// (<see cref="TimestepBands"/> equal bands of [0, T)). The rest of classifier_train.py's recipe:
/// <see cref="AnnealLearningRate"/> (--anneal_lr: lr falls linearly to 0 over <see cref="Steps"/>),
/// <see cref="RandomCrop"/> (load_data's random_crop: scale by [1, 1.25], crop back to the image size) and
/// <see cref="Microbatch"/> (--microbatch: the batch in slices whose gradients add up, for batch 256 on a small GPU).
/// </summary>
public sealed record NoiseClassifierTrainingOptions(
    int Steps = 5_000,
    TimeSpan? TimeBudget = null,
    int BatchSize = 16,
    double LearningRate = 3e-4,
    double WeightDecay = 0.05,
    double GradientClipNorm = 1.0,
    bool HorizontalFlip = false,
    NoiseScheduleKind Schedule = NoiseScheduleKind.Linear,
    int DiffusionSteps = 1000,
    int CheckpointEvery = 500,
    int TimestepBands = 4,
    int EvaluationImagesPerBand = 64,
    long Seed = 0,
    bool AnnealLearningRate = false,
    bool RandomCrop = false,
    int Microbatch = 0)
{
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"--steps must be at least 1; got {Steps}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1; got {BatchSize}.");
        if (LearningRate <= 0) throw new ArgumentException($"--lr must be positive; got {LearningRate}.");
        if (TimestepBands < 1 || TimestepBands > DiffusionSteps) throw new ArgumentException($"--bands must be in [1, {DiffusionSteps}].");
        if (CheckpointEvery < 1) throw new ArgumentException("--checkpoint-every must be at least 1.");
        if (Microbatch < 0) throw new ArgumentException($"--microbatch must be 0 (the whole batch at once) or positive; got {Microbatch}.");
    }

    /// <summary>guided-diffusion's set_annealed_lr: base · (1 − step / steps), set before each step.</summary>
    public double LearningRateAt(long step) => AnnealLearningRate ? LearningRate * (1 - (double)step / Steps) : LearningRate;
}
