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
        TruncatedNormal(linear.weight, std);
        if (linear.bias is not null) nn.init.zeros_(linear.bias);
    }

    /// <summary>
    /// torch.nn.init.trunc_normal_ (inverse-CDF method, then clamp to [a, b]). Written out because the clamp
    /// matters: a uniform draw of exactly -1 maps to erfinv(-1) = -inf, which happens a few times per 10^8 weights.
    /// </summary>
    public static void TruncatedNormal(Tensor tensor, double std, double mean = 0.0, double a = -2.0, double b = 2.0)
    {
        using var noGrad = no_grad();
        static double NormalCdf(double x) => (1.0 + Erf(x / Math.Sqrt(2.0))) / 2.0;
        var low = NormalCdf((a - mean) / std);
        var high = NormalCdf((b - mean) / std);
        tensor.uniform_(2 * low - 1, 2 * high - 1).erfinv_().mul_(std * Math.Sqrt(2.0)).add_(mean).clamp_(a, b);
    }

    // erf from the Chebyshev fit of erfc (Numerical Recipes' erfcc), |error| < 1.2e-7: only the cut points need it.
    private static double Erf(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.5 * z);
        var erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
            t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
