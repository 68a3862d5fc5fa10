namespace SonoSynth.Diffusion.Training;

/// <summary>Where a training run ended: the step reached, the last loss, and the checkpoint on disk. <see cref="Initialization"/>
/// says what --init-from loaded and adapted (null without it, or on resume).</summary>
public sealed record DiffusionTrainingResult(long Step, double LastLoss, string CheckpointPath, string StopReason, string? Initialization = null);
