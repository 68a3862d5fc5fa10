namespace SonoSynth.Runtime;

/// <summary>
/// What long-running library code reports through <see cref="IProgress{T}"/>; the CLI draws it as a progress bar
/// with ETA. Library code never prints. <paramref name="Metrics"/> carries e.g. loss or images/s.
/// </summary>
public sealed record ProgressUpdate(string Stage, long Done, long Total, IReadOnlyDictionary<string, double>? Metrics = null)
{
    public static ProgressUpdate Of(string stage, long done, long total, params (string Name, double Value)[] metrics) =>
        new(stage, done, total, metrics.Length == 0 ? null : metrics.ToDictionary(m => m.Name, m => m.Value));
}
