namespace SonoSynth.Interop;

/// <summary>
/// What <see cref="PretrainedWeights.LoadTorchvision"/> did with each state-dict key: copied as is, adapted
/// (3-channel first convolution summed to 1 channel, ViT position embeddings resized
/// to another image size), skipped (a head for another class count: the model keeps
/// its fresh head), or absent from the file but harmless (BatchNorm's num_batches_tracked, unused in eval).
/// </summary>
public sealed record TorchvisionLoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Adapted,
    IReadOnlyList<string> Skipped, IReadOnlyList<string> MissingCounters)
{
    public string Summary =>
        $"{Loaded.Count} tensors loaded, {Adapted.Count} adapted ({Join(Adapted)}), {Skipped.Count} skipped ({Join(Skipped)})" +
        (MissingCounters.Count > 0 ? $", {MissingCounters.Count} BatchNorm counters absent from the file" : "");

    private static string Join(IReadOnlyList<string> keys) => keys.Count == 0 ? "none" : string.Join(", ", keys);
}
