using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>Sinusoidal timestep features (guided-diffusion's timestep_embedding; Vaswani et al. positional encoding).</summary>
public static class TimestepEmbedding
{
    /// <summary>[N] timesteps (may be fractional) → [N x dim]: cos(t·f_k) then sin(t·f_k), f_k = 10000^(−k/half).</summary>
    public static Tensor Sinusoidal(Tensor timesteps, int dim, double maxPeriod = 10000)
    {
        using var scope = NewDisposeScope();
        int half = dim / 2;
        var frequencies = torch.exp(-Math.Log(maxPeriod) *
            torch.arange(0, half, dtype: ScalarType.Float32, device: timesteps.device) / half);
        var arguments = timesteps.to_type(ScalarType.Float32).unsqueeze(1) * frequencies.unsqueeze(0);
        var embedding = torch.cat([torch.cos(arguments), torch.sin(arguments)], -1);
        if (dim % 2 == 1) embedding = torch.cat([embedding, torch.zeros_like(embedding[.., ..1])], -1);
        return embedding.MoveToOuterDisposeScope();
    }
}
