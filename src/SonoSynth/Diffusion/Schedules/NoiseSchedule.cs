using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Schedules;

/// <summary>
/// The fixed tables of a Gaussian diffusion process (guided-diffusion's GaussianDiffusion.__init__), computed once in
/// float64 because ᾱ is a product of up to 1000 factors. Index i is the i-th step of this schedule; for a respaced
/// schedule, <see cref="OriginalTimesteps"/>[i] is the timestep of the full schedule it stands for (what the networks see).
/// </summary>
public sealed class NoiseSchedule
{
    private NoiseSchedule(double[] betas, int[] originalTimesteps)
    {
        if (betas.Any(b => !(b > 0 && b <= 1))) throw new ArgumentException("Every β must lie in (0, 1].");
        int count = betas.Length;
        Betas = betas;
        OriginalTimesteps = originalTimesteps;
        Alphas = betas.Select(b => 1.0 - b).ToArray();
        AlphasCumprod = new double[count];
        double product = 1.0;
        for (int i = 0; i < count; i++) AlphasCumprod[i] = product *= Alphas[i];
        AlphasCumprodPrev = Enumerable.Range(0, count).Select(i => i == 0 ? 1.0 : AlphasCumprod[i - 1]).ToArray();
        AlphasCumprodNext = Enumerable.Range(0, count).Select(i => i == count - 1 ? 0.0 : AlphasCumprod[i + 1]).ToArray();
        SqrtAlphasCumprod = AlphasCumprod.Select(Math.Sqrt).ToArray();
        SqrtOneMinusAlphasCumprod = AlphasCumprod.Select(a => Math.Sqrt(1.0 - a)).ToArray();
        LogOneMinusAlphasCumprod = AlphasCumprod.Select(a => Math.Log(1.0 - a)).ToArray();
        SqrtRecipAlphasCumprod = AlphasCumprod.Select(a => Math.Sqrt(1.0 / a)).ToArray();
        SqrtRecipM1AlphasCumprod = AlphasCumprod.Select(a => Math.Sqrt(1.0 / a - 1)).ToArray();
        // β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t), Ho et al. eq. 7.
        PosteriorVariance = Enumerable.Range(0, count)
            .Select(i => betas[i] * (1.0 - AlphasCumprodPrev[i]) / (1.0 - AlphasCumprod[i])).ToArray();
        // β̃_0 = 0, so its log is clipped to β̃_1's.
        PosteriorLogVarianceClipped = Enumerable.Range(0, count)
            .Select(i => Math.Log(count > 1 && i == 0 ? PosteriorVariance[1] : PosteriorVariance[i])).ToArray();
        PosteriorMeanCoef1 = Enumerable.Range(0, count)
            .Select(i => betas[i] * Math.Sqrt(AlphasCumprodPrev[i]) / (1.0 - AlphasCumprod[i])).ToArray();
        PosteriorMeanCoef2 = Enumerable.Range(0, count)
            .Select(i => (1.0 - AlphasCumprodPrev[i]) * Math.Sqrt(Alphas[i]) / (1.0 - AlphasCumprod[i])).ToArray();
    }

    public int Count => Betas.Length;
    /// <summary>Timesteps of the schedule this one was respaced from (identity for a full schedule).</summary>
    public int[] OriginalTimesteps { get; }
    public double[] Betas { get; }
    public double[] Alphas { get; }
    /// <summary>ᾱ_t = ∏_{s≤t} α_s.</summary>
    public double[] AlphasCumprod { get; }
    public double[] AlphasCumprodPrev { get; }
    public double[] AlphasCumprodNext { get; }
    public double[] SqrtAlphasCumprod { get; }
    public double[] SqrtOneMinusAlphasCumprod { get; }
    public double[] LogOneMinusAlphasCumprod { get; }
    public double[] SqrtRecipAlphasCumprod { get; }
    public double[] SqrtRecipM1AlphasCumprod { get; }
    public double[] PosteriorVariance { get; }
    public double[] PosteriorLogVarianceClipped { get; }
    public double[] PosteriorMeanCoef1 { get; }
    public double[] PosteriorMeanCoef2 { get; }

    /// <summary>guided-diffusion's get_named_beta_schedule(kind, T).</summary>
    public static NoiseSchedule Create(NoiseScheduleKind kind, int timestepCount = 1000)
    {
        if (timestepCount < 2) throw new ArgumentException($"A diffusion schedule needs at least 2 timesteps; got {timestepCount}.");
        var betas = new double[timestepCount];
        switch (kind)
        {
            case NoiseScheduleKind.Linear:
                double scale = 1000.0 / timestepCount, start = scale * 0.0001, end = scale * 0.02;
                // np.linspace: start + i·step, with the last value exactly end.
                double step = (end - start) / (timestepCount - 1);
                for (int i = 0; i < timestepCount; i++) betas[i] = i == timestepCount - 1 ? end : start + i * step;
                break;
            case NoiseScheduleKind.Cosine:
                static double AlphaBar(double t) => Math.Pow(Math.Cos((t + 0.008) / 1.008 * Math.PI / 2), 2);
                for (int i = 0; i < timestepCount; i++)
                    betas[i] = Math.Min(1 - AlphaBar((i + 1.0) / timestepCount) / AlphaBar((double)i / timestepCount), 0.999);
                break;
            default:
                throw new ArgumentException($"Unknown noise schedule {kind}.");
        }
        return new NoiseSchedule(betas, Enumerable.Range(0, timestepCount).ToArray());
    }

    /// <summary>
    /// A shorter schedule on the given kept timesteps (guided-diffusion's SpacedDiffusion): β is rebuilt from ᾱ so that
    /// ᾱ at every kept step is unchanged, β_i = 1 − ᾱ_{k_i} / ᾱ_{k_{i−1}}.
    /// </summary>
    public NoiseSchedule Respace(string spec) => Respace(TimestepRespacing.Select(Count, spec));

    public NoiseSchedule Respace(IReadOnlyList<int> keptTimesteps)
    {
        var betas = new List<double>();
        var map = new List<int>();
        double last = 1.0;
        foreach (var kept in keptTimesteps.Distinct().OrderBy(k => k))
        {
            if (kept < 0 || kept >= Count) throw new ArgumentException($"Timestep {kept} is outside [0, {Count}).");
            betas.Add(1 - AlphasCumprod[kept] / last);
            last = AlphasCumprod[kept];
            map.Add(OriginalTimesteps[kept]);
        }
        return new NoiseSchedule(betas.ToArray(), map.ToArray());
    }

    /// <summary>Table values at the batch's timesteps as a float32 [N x 1 x 1 x 1] tensor that broadcasts over images.</summary>
    public static Tensor Gather(double[] table, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var values = torch.tensor(table, dtype: ScalarType.Float64, device: timesteps.device)
            .index_select(0, timesteps.to_type(ScalarType.Int64))
            .to_type(ScalarType.Float32);
        return values.view(-1, 1, 1, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The network-facing timesteps for schedule indices (respaced index → original timestep).</summary>
    public Tensor ToOriginal(Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var map = torch.tensor(OriginalTimesteps.Select(t => (long)t).ToArray(), device: timesteps.device);
        return map.index_select(0, timesteps.to_type(ScalarType.Int64)).MoveToOuterDisposeScope();
    }

    /// <summary>q(x_t | x_0): √ᾱ_t x_0 + √(1−ᾱ_t) ε. Shapes [N x C x H x W], timesteps [N].</summary>
    public Tensor QSample(Tensor x0, Tensor timesteps, Tensor noise)
    {
        using var scope = NewDisposeScope();
        return (Gather(SqrtAlphasCumprod, timesteps) * x0 + Gather(SqrtOneMinusAlphasCumprod, timesteps) * noise)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Mean of q(x_{t−1} | x_t, x_0) (Ho et al. eq. 7); its variance is <see cref="PosteriorVariance"/>.</summary>
    public Tensor QPosteriorMean(Tensor x0, Tensor xt, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        return (Gather(PosteriorMeanCoef1, timesteps) * x0 + Gather(PosteriorMeanCoef2, timesteps) * xt)
            .MoveToOuterDisposeScope();
    }

    /// <summary>x̂_0 = (x_t − √(1−ᾱ_t) ε) / √ᾱ_t.</summary>
    public Tensor PredictX0FromEps(Tensor xt, Tensor timesteps, Tensor eps)
    {
        using var scope = NewDisposeScope();
        return (Gather(SqrtRecipAlphasCumprod, timesteps) * xt - Gather(SqrtRecipM1AlphasCumprod, timesteps) * eps)
            .MoveToOuterDisposeScope();
    }

    /// <summary>ε = (x_t / √ᾱ_t − x̂_0) / √(1/ᾱ_t − 1).</summary>
    public Tensor PredictEpsFromX0(Tensor xt, Tensor timesteps, Tensor x0)
    {
        using var scope = NewDisposeScope();
        return ((Gather(SqrtRecipAlphasCumprod, timesteps) * xt - x0) / Gather(SqrtRecipM1AlphasCumprod, timesteps))
            .MoveToOuterDisposeScope();
    }
}
