namespace SonoSynth.TrainingKit;

/// <summary>
/// The loss became NaN or infinite, so training stopped before the optimizer step: the last good checkpoint on disk is
/// kept and a rerun with --resume continues from it. Every trainer throws this one type.
/// </summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
