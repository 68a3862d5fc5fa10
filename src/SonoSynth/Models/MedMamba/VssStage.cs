using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>MedMamba's VSSLayer: "blocks.0".."blocks.n-1" SS-Conv-SSM blocks, then an optional "downsample" patch merge.</summary>
public sealed class VssStage : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> blocks;
    private readonly nn.Module<Tensor, Tensor>? downsample;

    public VssStage(long dim, int depth, IReadOnlyList<double> dropPaths, long stateSize, bool mergeAfter) : base("VSSLayer")
    {
        blocks = nn.Sequential(Enumerable.Range(0, depth)
            .Select(i => (i.ToString(), (nn.Module<Tensor, Tensor>)new SsConvSsmBlock(dim, dropPaths[i], stateSize))));
        downsample = mergeAfter ? new PatchMerging(dim, cropOdd: true) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = blocks.call(input);
        return downsample is null ? x : downsample.call(x);
    }
}
