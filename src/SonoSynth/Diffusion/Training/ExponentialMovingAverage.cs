using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// EMA of weights (guided-diffusion's update_ema): θ_ema ← d·θ_ema + (1 − d)·θ after every optimizer step. With warm-up
/// (diffusers' EMAModel) the decay of update n (0-based) is d_n = min(rate, (1 + n)/(10 + n)), so a short run does not
/// keep the random initialisation in its average: without it, 0.9999²⁰⁰ ≈ 98% of the initial weights survive 200 steps.
/// </summary>
public static class ExponentialMovingAverage
{
    /// <summary>The decay applied at update <paramref name="update"/> (0-based count of earlier updates).</summary>
    public static double Decay(double rate, long update, bool warmUp) =>
        warmUp ? Math.Min(rate, (1.0 + update) / (10.0 + update)) : rate;

    /// <summary>
    /// The weight the initial parameters still carry in the average after <paramref name="updates"/> updates,
    /// ∏ d_n: the rest is a weighted mean of the trained weights.
    /// </summary>
    public static double InitialShare(double rate, long updates, bool warmUp)
    {
        double share = 1;
        for (long n = 0; n < updates && share > 0; n++) share *= Decay(rate, n, warmUp);
        return share;
    }

    public static void CopyInto(nn.Module source, nn.Module target)
    {
        using var noGrad = torch.no_grad();
        foreach (var (to, from) in target.parameters().Zip(source.parameters())) to.copy_(from);
    }

    /// <summary>One update with decay <paramref name="decay"/> (see <see cref="Decay"/>).</summary>
    public static void Update(nn.Module source, nn.Module average, double decay)
    {
        using var noGrad = torch.no_grad();
        foreach (var (target, current) in average.parameters().Zip(source.parameters()))
            target.mul_(decay).add_(current, alpha: 1 - decay);
    }
}
