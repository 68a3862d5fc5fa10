namespace SonoSynth.Diffusion.Training;

/// <summary>Where a training run ended: the step reached, the last loss, and the checkpoint on disk.</summary>
public sealed record DiffusionTrainingResult(long Step, double LastLoss, string CheckpointPath, string StopReason);
