using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>EMA of weights (guided-diffusion's update_ema): θ_ema ← r·θ_ema + (1 − r)·θ, after every optimizer step.</summary>
public static class ExponentialMovingAverage
{
    public static void CopyInto(nn.Module source, nn.Module target)
    {
        using var noGrad = torch.no_grad();
        foreach (var (to, from) in target.parameters().Zip(source.parameters())) to.copy_(from);
    }

    public static void Update(nn.Module source, nn.Module average, double rate)
    {
        using var noGrad = torch.no_grad();
        foreach (var (target, current) in average.parameters().Zip(source.parameters()))
            target.mul_(rate).add_(current, alpha: 1 - rate);
    }
}
