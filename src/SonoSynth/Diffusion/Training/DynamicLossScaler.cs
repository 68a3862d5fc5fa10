using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// guided-diffusion's dynamic loss scaling for float16 training (fp16_util.MixedPrecisionTrainer): the loss is multiplied
/// by 2^<see cref="Log2Scale"/> before backward so small float16 gradients do not underflow; the float32 master gradients
/// are divided back. A step whose gradients overflow is skipped and the scale halves; every good step raises log2 of the
/// scale by <see cref="GrowthPerStep"/> (guided-diffusion: start at 2^20, growth 1e-3).
/// </summary>
public sealed class DynamicLossScaler(double log2Scale = DynamicLossScaler.InitialLog2Scale, double growthPerStep = 1e-3)
{
    public const double InitialLog2Scale = 20;

    public double Log2Scale { get; private set; } = log2Scale;
    public double GrowthPerStep { get; } = growthPerStep;

    public Tensor Scale(Tensor loss) => loss * Math.Pow(2, Log2Scale);

    /// <summary>
    /// Divides the gradients by the scale and returns true, or, when any gradient is not finite, lowers the scale, zeroes
    /// the gradients and returns false: the caller then skips the optimizer step (and the EMA update).
    /// </summary>
    public bool Unscale(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var gradients = parameters.Select(p => p.grad).Where(g => g is not null).Cast<Tensor>().ToList();
        bool finite = gradients.All(g => g.isfinite().all().item<bool>());
        if (!finite)
        {
            Log2Scale -= 1;
            foreach (var gradient in gradients) gradient.zero_();
            return false;
        }
        double inverse = Math.Pow(2, -Log2Scale);
        foreach (var gradient in gradients) gradient.mul_(inverse);
        Log2Scale += GrowthPerStep;
        return true;
    }
}
