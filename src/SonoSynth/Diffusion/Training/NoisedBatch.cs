using SonoSynth.Data;
using SonoSynth.Diffusion.Schedules;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// x_t = √ᾱ_t·x_0 + √(1 − ᾱ_t)·ε for a batch, with t drawn uniformly (guided-diffusion's UniformSampler + q_sample), as
/// the U-Net and the noise-aware classifier train on it. Every draw comes from the trainer's one generator in a fixed
/// order (images, flips, then t, then ε), which is what lets a resumed run continue bit-identically.
/// </summary>
/// <param name="Timesteps">[N] t, int64.</param>
/// <param name="Noise">[N x C x H x W] ε.</param>
/// <param name="Xt">[N x C x H x W] the noised images.</param>
public sealed record NoisedBatch(Tensor Timesteps, Tensor Noise, Tensor Xt)
{
    /// <summary>Noises <paramref name="x0"/> ([N x C x H x W], on its device) at t drawn from [<paramref name="fromT"/>, <paramref name="toT"/>) (default: all T).</summary>
    public static NoisedBatch Of(NoiseSchedule schedule, Tensor x0, Generator rng, int fromT = 0, int? toT = null)
    {
        var timesteps = torch.randint(fromT, toT ?? schedule.Count, [x0.shape[0]], generator: rng, dtype: ScalarType.Int64).to(x0.device);
        var noise = torch.randn(x0.shape, generator: rng).to(x0.device);
        return new NoisedBatch(timesteps, noise, schedule.QSample(x0, timesteps, noise));
    }

    /// <summary>
    /// <paramref name="batchSize"/> training images drawn with replacement, scaled to [−1, 1], optionally cropped (on the
    /// CPU) and flipped left-right with probability ½; returns their rows and x_0 on <paramref name="device"/>.
    /// </summary>
    public static (long[] Rows, Tensor X0) DrawImages(LabelledImages data, int batchSize, Generator rng, Device device,
        bool horizontalFlip, Func<Tensor, Generator, Tensor>? crop = null)
    {
        var rows = torch.randint(0, data.Count, [batchSize], generator: rng, dtype: ScalarType.Int64).data<long>().ToArray();
        var x0 = data.FloatBatch(rows) * 2 - 1;
        if (crop is not null) x0 = crop(x0, rng);
        x0 = x0.to(device);
        if (horizontalFlip)
            x0 = torch.where(torch.rand([batchSize, 1, 1, 1], generator: rng).lt(0.5).to(device), x0.flip(3), x0);
        return (rows, x0);
    }
}
