using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// "Fine-tune only the last layer": every parameter except the head stops receiving gradients, and every module
/// holding running statistics (BatchNorm) is kept in eval mode, so a forward pass in training mode does not move
/// its running mean/variance. Together these keep the whole backbone bit-identical.
/// </summary>
public static class LayerFreezing
{
    public static void FreezeAllButHead(ImageClassifier model)
    {
        var head = new HashSet<IntPtr>(model.HeadParameters().Select(p => p.Handle));
        foreach (var parameter in model.parameters())
            parameter.requires_grad = head.Contains(parameter.Handle);
    }

    public static void Unfreeze(ImageClassifier model)
    {
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
    }

    /// <summary>Call after <c>model.train()</c>: puts stateful-normalisation modules back into eval mode.</summary>
    public static void KeepRunningStatisticsFixed(ImageClassifier model)
    {
        foreach (var (_, module) in model.named_modules())
            if (module is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d
                || module.named_buffers(recurse: false).Any(b => b.name.StartsWith("running_", StringComparison.Ordinal)))
                module.eval();
    }
}
