using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>The two likelihood terms of the variational bound (guided-diffusion's losses.py).</summary>
public static class GaussianLikelihood
{
    /// <summary>KL(N(μ1, e^{lv1}) ‖ N(μ2, e^{lv2})), elementwise, in nats.</summary>
    public static Tensor NormalKl(Tensor mean1, Tensor logVariance1, Tensor mean2, Tensor logVariance2) =>
        0.5 * (-1.0 + logVariance2 - logVariance1 + (logVariance1 - logVariance2).exp() +
               (mean1 - mean2).square() * (-logVariance2).exp());

    /// <summary>Φ(x) via the tanh approximation guided-diffusion uses.</summary>
    public static Tensor ApproxStandardNormalCdf(Tensor x) =>
        0.5 * (1.0 + torch.tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x.pow(3))));

    /// <summary>
    /// log-likelihood of images x in [−1, 1] discretised to 256 bins under N(means, e^{2·logScales}); the edge bins take
    /// the tails. Elementwise, in nats.
    /// </summary>
    public static Tensor DiscretizedGaussianLogLikelihood(Tensor x, Tensor means, Tensor logScales)
    {
        using var scope = NewDisposeScope();
        var centered = x - means;
        var inverseStd = (-logScales).exp();
        var cdfPlus = ApproxStandardNormalCdf(inverseStd * (centered + 1.0 / 255));
        var cdfMinus = ApproxStandardNormalCdf(inverseStd * (centered - 1.0 / 255));
        var logCdfPlus = cdfPlus.clamp(min: 1e-12).log();
        var logOneMinusCdfMinus = (1 - cdfMinus).clamp(min: 1e-12).log();
        var logDelta = (cdfPlus - cdfMinus).clamp(min: 1e-12).log();
        var result = torch.where(x < -0.999, logCdfPlus, torch.where(x > 0.999, logOneMinusCdfMinus, logDelta));
        return result.MoveToOuterDisposeScope();
    }
}
