using System.CommandLine;
using SonoSynth.Diffusion.Schedules;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>Options shared by the diffusion verbs, so they read the same everywhere.</summary>
internal static class DiffusionOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Training images: a FETAL_PLANES_DB folder, a prepared cache, or a folder with one sub-folder per class.",
        Required = true,
    };

    public static Option<string> Out(string what) => new("--out") { Description = $"Folder for {what}.", Required = true };

    public static Option<bool> Resume() => new("--resume") { Description = "Continue the checkpoint in --out exactly where it stopped." };

    public static Option<bool> SkipBad() => new("--skip-bad") { Description = "Skip unreadable images (listed) instead of stopping." };

    public static Option<int> Steps(int defaultValue) => new("--steps") { Description = "Optimizer steps to train in total.", DefaultValueFactory = _ => defaultValue };

    public static Option<double> TimeBudget() => new("--time-budget") { Description = "Stop after this many minutes (0 = no limit); a checkpoint is written at the stop." };

    public static Option<int> BatchSize(int defaultValue) => new("--batch-size") { Description = "Images per step.", DefaultValueFactory = _ => defaultValue };

    public static Option<double> LearningRate(double defaultValue) => new("--lr") { Description = "AdamW learning rate.", DefaultValueFactory = _ => defaultValue };

    public static Option<double> GradientClip() => new("--grad-clip") { Description = "Clip the gradient norm to this value (0 = off).", DefaultValueFactory = _ => 1.0 };

    public static Option<bool> Flip() => new("--flip") { Description = "Random horizontal flips of training images." };

    public static Option<NoiseScheduleKind> Schedule() => new("--schedule") { Description = "Noise schedule: Linear (the paper's) or Cosine.", DefaultValueFactory = _ => NoiseScheduleKind.Linear };

    public static Option<int> DiffusionSteps() => new("--diffusion-steps") { Description = "T, the number of diffusion timesteps.", DefaultValueFactory = _ => 1000 };

    public static Option<int> CheckpointEvery() => new("--checkpoint-every") { Description = "Write checkpoint.bin every N steps.", DefaultValueFactory = _ => 500 };

    public static Option<string> Precision() => new("--precision")
    {
        Description = "fp32, fp16 (guided-diffusion's --use_fp16: float16 torso, float32 master weights, dynamic loss scaling; CUDA only) " +
            "or bf16 (bfloat16 torso; CPUs and Ampere or later GPUs).",
        DefaultValueFactory = _ => "fp32",
    };

    public static Option<string> Preset(string what, string defaultPreset, IEnumerable<string> names) => new("--preset")
    {
        Description = $"{what}: {string.Join(", ", names)}. A preset is a named set of guided-diffusion flags; flags given " +
            "on the command line override it.",
        DefaultValueFactory = _ => defaultPreset,
    };

    public static Option<bool> UseCheckpoint() => new("--use-checkpoint")
    {
        Description = "Recompute each block's activations in the backward pass instead of storing them (guided-diffusion's " +
            "--use_checkpoint): far less memory for about a third more compute; bench/README.md says what batch fits a GPU.",
    };

    public static TimeSpan? Minutes(double minutes) => minutes > 0 ? TimeSpan.FromMinutes(minutes) : null;
}
