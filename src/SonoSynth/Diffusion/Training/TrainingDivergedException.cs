namespace SonoSynth.Diffusion.Training;

/// <summary>The loss became NaN or infinite; the last good checkpoint on disk was kept.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
