namespace SonoSynth.TrainingKit;

/// <summary>
/// The loss became NaN or infinite, so training stopped before the optimizer step: the last good checkpoint on disk is
/// kept and a rerun with --resume continues from it. Every trainer throws this one type.
/// </summary>
public sealed class NonFiniteLossException(string message) : Exception(message)
{
    /// <summary>
    /// The message every trainer gives: what happened and where, which checkpoint is kept (<paramref name="lastGood"/>,
    /// e.g. "step 40", or null when none was written yet) and what to do.
    /// </summary>
    public static string Describe(string what, string? lastGood, string checkpointPath, string advice) =>
        $"{what}; training stopped. " +
        (lastGood is null ? "No checkpoint had been written yet. " : $"The last good checkpoint ({lastGood}) is kept at '{checkpointPath}'. ") +
        advice;
}
