using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>Small layer helpers shared by the U-Net and the classifier (guided-diffusion's nn.py).</summary>
internal static class Layers
{
    /// <summary>GroupNorm with 32 groups, computed in float32 (guided-diffusion's normalization / GroupNorm32).</summary>
    public static GroupNorm32 Normalization(int channels) => new(channels);

    /// <summary>Zeroes a module's parameters, so a residual branch starts as the identity (zero_module).</summary>
    public static T ZeroModule<T>(T module) where T : nn.Module
    {
        using var noGrad = torch.no_grad();
        foreach (var parameter in module.parameters()) parameter.zero_();
        return module;
    }
}

/// <summary>
/// guided-diffusion's GroupNorm32: 32 groups, statistics in float32 whatever the input's precision, the result cast back
/// to the input's dtype. Parameters are named weight and bias, as nn.GroupNorm's.
/// </summary>
public sealed class GroupNorm32 : nn.Module<Tensor, Tensor>
{
    public const int Groups = 32;
    private readonly TorchSharp.Modules.Parameter weight, bias;

    public GroupNorm32(int channels) : base(nameof(GroupNorm32))
    {
        if (channels % Groups != 0)
            throw new ArgumentException($"GroupNorm32 needs a channel count divisible by 32; got {channels}. Use channel counts " +
                "(--num-channels × each --channel-mult) that are multiples of 32.");
        weight = new TorchSharp.Modules.Parameter(torch.ones(channels));
        bias = new TorchSharp.Modules.Parameter(torch.zeros(channels));
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dtype == ScalarType.Float32) return nn.functional.group_norm(x, Groups, weight, bias, 1e-5);
        using var scope = NewDisposeScope();
        return nn.functional.group_norm(x.to_type(ScalarType.Float32), Groups, weight, bias, 1e-5).to_type(x.dtype)
            .MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A 1-D or 2-D convolution (guided-diffusion's conv_nd) whose float32 weights are cast to the input's dtype on the fly.
/// The parameters stay float32 (they are the master weights); a float16 or bfloat16 input runs the convolution in that
/// precision and the gradient flows back to the float32 parameters, as torch.autocast does. Parameters are named
/// weight and bias, so state dicts match PyTorch's nn.Conv1d / nn.Conv2d.
/// </summary>
public sealed class ConvNd : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.Parameter weight, bias;
    private readonly int dimensions;
    private readonly long stride, padding;

    public ConvNd(int dimensions, long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0)
        : base(nameof(ConvNd))
    {
        if (dimensions is not (1 or 2)) throw new ArgumentException($"ConvNd supports 1 or 2 dimensions, not {dimensions}.");
        this.dimensions = dimensions;
        this.stride = stride;
        this.padding = padding;
        long[] shape = dimensions == 1 ? [outChannels, inChannels, kernelSize] : [outChannels, inChannels, kernelSize, kernelSize];
        // PyTorch's default: kaiming_uniform(a=√5) for the weight and U(±1/√fan_in) for the bias, i.e. both U(±1/√fan_in).
        double bound = 1 / Math.Sqrt(inChannels * (dimensions == 1 ? kernelSize : kernelSize * kernelSize));
        weight = new TorchSharp.Modules.Parameter(torch.rand(shape) * (2 * bound) - bound);
        bias = new TorchSharp.Modules.Parameter(torch.rand(outChannels) * (2 * bound) - bound);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dtype == weight.dtype)
            return dimensions == 1
                ? nn.functional.conv1d(x, weight, bias, stride, padding)
                : nn.functional.conv2d(x, weight, bias, [stride, stride], [padding, padding]);
        using var scope = NewDisposeScope();
        var w = weight.to_type(x.dtype);
        var b = bias.to_type(x.dtype);
        return (dimensions == 1
            ? nn.functional.conv1d(x, w, b, stride, padding)
            : nn.functional.conv2d(x, w, b, [stride, stride], [padding, padding])).MoveToOuterDisposeScope();
    }
}
