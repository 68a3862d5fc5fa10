using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>Small layer helpers shared by the U-Net and the classifier (guided-diffusion's nn.py).</summary>
internal static class Layers
{
    /// <summary>GroupNorm with 32 groups (guided-diffusion's normalization / GroupNorm32).</summary>
    public static TorchSharp.Modules.GroupNorm Normalization(int channels)
    {
        if (channels % 32 != 0)
            throw new ArgumentException($"GroupNorm32 needs a channel count divisible by 32; got {channels}. Use base channels that are multiples of 32.");
        var norm = nn.GroupNorm(32, channels);
        // TorchSharp 0.107's GroupNorm leaves weight and bias uninitialised (garbage, sometimes NaN); PyTorch sets 1 and 0.
        using var noGrad = torch.no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }

    /// <summary>Zeroes a module's parameters, so a residual branch starts as the identity (zero_module).</summary>
    public static T ZeroModule<T>(T module) where T : nn.Module
    {
        using var noGrad = torch.no_grad();
        foreach (var parameter in module.parameters()) parameter.zero_();
        return module;
    }
}
