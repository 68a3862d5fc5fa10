using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>The weight initialisations torchvision's model constructors apply, as reusable module walks.</summary>
public static class WeightInit
{
    /// <summary>Every Conv2d (and subsampled 1x1 conv) gets kaiming normal; BatchNorm weight 1, bias 0.</summary>
    public static void KaimingConvUnitBatchNorm(nn.Module root, nn.init.FanInOut mode, nn.init.NonlinearityType nonlinearity)
    {
        using var noGrad = no_grad();
        foreach (var module in root.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    nn.init.kaiming_normal_(conv.weight, mode: mode, nonlinearity: nonlinearity);
                    break;
                case SubsampledPointwiseConv pointwise:
                    nn.init.kaiming_normal_(pointwise.Weight, mode: mode, nonlinearity: nonlinearity);
                    break;
                case BatchNorm2d norm:
                    nn.init.ones_(norm.weight);
                    nn.init.zeros_(norm.bias);
                    break;
            }
        }
    }

    /// <summary>nn.Linear's default init (kaiming uniform a=√5, bias U(±1/√fan_in)), for fresh heads.</summary>
    public static void DefaultLinear(Linear linear)
    {
        using var noGrad = no_grad();
        nn.init.kaiming_uniform_(linear.weight, Math.Sqrt(5));
        if (linear.bias is not null)
        {
            var bound = 1.0 / Math.Sqrt(linear.weight.shape[1]);
            nn.init.uniform_(linear.bias, -bound, bound);
        }
    }

    /// <summary>Truncated normal std 0.02 (cut at ±2, absolute, as torch's trunc_normal_), bias 0.</summary>
    public static void TruncatedNormalLinear(Linear linear, double std = 0.02)
    {
        using var noGrad = no_grad();
        nn.init.trunc_normal_(linear.weight, std: std);
        if (linear.bias is not null) nn.init.zeros_(linear.bias);
    }
}
