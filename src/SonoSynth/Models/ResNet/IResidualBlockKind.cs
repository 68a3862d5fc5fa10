using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>What ResNet needs to stack a block type: its channel expansion and a factory.</summary>
public interface IResidualBlockKind
{
    /// <summary>Output channels = planes x Expansion (1 for BasicBlock, 4 for Bottleneck).</summary>
    int Expansion { get; }

    nn.Module<Tensor, Tensor> Create(long inChannels, long planes, long stride, nn.Module<Tensor, Tensor>? downsample);
}
