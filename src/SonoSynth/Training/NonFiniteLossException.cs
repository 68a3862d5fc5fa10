namespace SonoSynth.Training;

/// <summary>The loss became NaN or infinite; training stopped and the last good checkpoint on disk was kept.</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
