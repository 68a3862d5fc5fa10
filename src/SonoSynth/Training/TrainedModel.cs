using SonoSynth.Inference;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// Where a trained classifier is read from: a <c>.sonomodel</c> file (<see cref="ModelBundle"/>), or a finished
/// <c>classify train</c> run folder or experiment classifier cell (<see cref="RunFolder.LoadBundle"/>), which loads as is.
/// </summary>
public static class TrainedModel
{
    /// <summary>The bundle file or run folder at <paramref name="path"/>, on <paramref name="device"/> in eval mode.</summary>
    public static ModelBundle Load(string path, Device? device = null) =>
        Directory.Exists(path) ? new RunFolder(path).LoadBundle(device) : ModelBundle.Load(path, device);
}
