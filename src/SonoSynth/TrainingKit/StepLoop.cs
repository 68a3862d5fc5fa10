using System.Diagnostics;
using SonoSynth.Runtime;

namespace SonoSynth.TrainingKit;

/// <summary>What stopped a <see cref="StepLoop"/>: "steps" (all done), "time budget" or "cancelled".</summary>
public sealed record StepLoopResult(long Step, double LastLoss, string StopReason);

/// <summary>
/// The loop of a trainer that counts optimizer steps (the U-Net and the noise-aware classifier): it runs steps until
/// the target, a time budget or cancellation; flushes the <see cref="StepLog"/> and writes a checkpoint every
/// <see cref="CheckpointEvery"/> steps and at the stop; stops with <see cref="NonFiniteLossException"/> when a step's loss
/// is NaN or infinite, keeping the last checkpoint; and reports progress. The trainer owns the step itself.
/// </summary>
public sealed class StepLoop
{
    private readonly Stopwatch clock = new();

    public required long Steps { get; init; }
    public required int CheckpointEvery { get; init; }
    public TimeSpan? TimeBudget { get; init; }
    public required string CheckpointPath { get; init; }

    /// <summary>Name of the loop in progress reports, e.g. "diffusion training".</summary>
    public required string Stage { get; init; }
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>Images per step, to report img/s; 0 leaves the rate out.</summary>
    public int ImagesPerStep { get; init; }

    /// <summary>What to do about a NaN loss, for the error message, e.g. "Lower --lr and rerun with --resume."</summary>
    public string DivergenceAdvice { get; init; } = "Lower --lr and rerun with --resume.";

    /// <summary>Time since <see cref="Run"/> started (for a log's seconds column).</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <param name="startStep">Steps already done (from the checkpoint when resuming).</param>
    /// <param name="trainStep">
    /// Takes one step, given the steps done before it, inside a dispose scope, and returns its loss. When the loss is
    /// not finite it must return before the optimizer step, so the weights stay those of the last good step.
    /// </param>
    /// <param name="saveCheckpoint">Writes the checkpoint at the given step.</param>
    /// <param name="afterStep">Runs after each step and its checkpoint (e.g. a sample grid).</param>
    public StepLoopResult Run(long startStep, StepLog log, Func<long, double> trainStep, Action<long> saveCheckpoint,
        CancellationToken cancellation = default, Action<long>? afterStep = null)
    {
        clock.Restart();
        long step = startStep, lastSaved = startStep;
        double lastLoss = double.NaN;
        string stopReason = "steps";
        while (step < Steps)
        {
            if (TimeBudget is { } budget && clock.Elapsed >= budget) { stopReason = "time budget"; break; }
            if (cancellation.IsCancellationRequested) { stopReason = "cancelled"; break; }
            using (var scope = TorchSharp.torch.NewDisposeScope())
            {
                double loss = trainStep(step);
                if (!double.IsFinite(loss))
                {
                    log.Flush();
                    throw new NonFiniteLossException(NonFiniteLossException.Describe($"The loss became {loss} at step {step + 1}",
                        File.Exists(CheckpointPath) ? $"step {lastSaved}" : null, CheckpointPath, DivergenceAdvice));
                }
                lastLoss = loss;
                step++;
            }
            if (step % CheckpointEvery == 0)
            {
                log.Flush();
                saveCheckpoint(step);
                lastSaved = step;
            }
            afterStep?.Invoke(step);
            Progress?.Report(ImagesPerStep > 0
                ? ProgressUpdate.Of(Stage, step, Steps, ("loss", lastLoss),
                    ("img/s", (step - startStep) * (double)ImagesPerStep / Math.Max(1e-9, clock.Elapsed.TotalSeconds)))
                : ProgressUpdate.Of(Stage, step, Steps, ("loss", lastLoss)));
        }
        log.Flush();
        if (step != lastSaved || !File.Exists(CheckpointPath)) saveCheckpoint(step);
        return new StepLoopResult(step, lastLoss, stopReason);
    }
}
