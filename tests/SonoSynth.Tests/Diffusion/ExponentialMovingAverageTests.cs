using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

public class ExponentialMovingAverageTests
{
    public ExponentialMovingAverageTests() => TinyData.UseOneThread();

    [Fact]
    public void Warm_up_decay_is_diffusers_schedule_capped_at_the_rate()
    {
        // diffusers' EMAModel.get_decay with use_ema_warmup=False: (1 + step) / (10 + step), step = updates so far.
        Assert.Equal(0.1, ExponentialMovingAverage.Decay(0.9999, 0, warmUp: true), 15);
        Assert.Equal(11.0 / 20.0, ExponentialMovingAverage.Decay(0.9999, 10, warmUp: true), 15);
        Assert.Equal(0.99, ExponentialMovingAverage.Decay(0.99, 5_000, warmUp: true), 15);
        Assert.Equal(0.9999, ExponentialMovingAverage.Decay(0.9999, 0, warmUp: false), 15);
    }

    [Fact]
    public void Initialisation_share_after_200_warm_up_steps_is_the_telescoping_product()
    {
        // ∏_{n=0}^{199} (1+n)/(10+n) = 9! · 200! / 209! = 9! / (201 · 202 · … · 209).
        double closedForm = 362_880.0;
        for (int k = 201; k <= 209; k++) closedForm /= k;
        double share = ExponentialMovingAverage.InitialShare(0.9999, 200, warmUp: true);
        Assert.Equal(closedForm, share, closedForm * 1e-12);
        Assert.True(share < 1e-15);
        // Without warm-up the same 200 steps keep 0.9999²⁰⁰ ≈ 98% of the initial weights: the demo's noise.
        Assert.Equal(Math.Pow(0.9999, 200), ExponentialMovingAverage.InitialShare(0.9999, 200, warmUp: false), 1e-12);
    }

    [Fact]
    public void Averaged_weights_keep_exactly_the_initial_share_of_the_initial_weights()
    {
        using var initial = nn.Linear(3, 2);
        using var average = nn.Linear(3, 2);
        using (torch.no_grad()) foreach (var p in initial.parameters()) p.fill_(1);
        ExponentialMovingAverage.CopyInto(initial, average);
        using (torch.no_grad()) foreach (var p in initial.parameters()) p.fill_(0); // "trained" weights: all zero
        for (long n = 0; n < 20; n++)
            ExponentialMovingAverage.Update(initial, average, ExponentialMovingAverage.Decay(0.999, n, warmUp: true));
        double expected = ExponentialMovingAverage.InitialShare(0.999, 20, warmUp: true);
        foreach (var p in average.parameters())
            Assert.True(p.sub(expected).abs().max().item<float>() < 1e-9, $"EMA holds {p.max().item<float>()}, expected {expected}");
    }

    [Fact]
    public void A_short_run_samples_from_trained_weights_not_the_initialisation()
    {
        var folder = TinyData.TempFolder();
        using var data = TinyData.DarkAndBright(4);
        var options = new DiffusionTrainingOptions(Steps: 40, BatchSize: 4, LearningRate: 2e-3, EmaRate: 0.9999,
            CheckpointEvery: 1000, SampleEvery: 1000, Seed: 3);
        new DiffusionTrainer(TinyData.UNet, options, folder).Train(data);
        var path = Path.Combine(folder, DiffusionCheckpoint.FileName);
        var (ema, header) = DiffusionCheckpoint.Load(path, useEma: true);
        var (raw, _) = DiffusionCheckpoint.Load(path, useEma: false);
        torch.random.manual_seed(options.Seed); // as the trainer builds its model
        using var initial = new UNetModel(header.Config);
        SeededInitialization.Apply(initial, options.Seed);
        double toRaw = 0, toInitial = 0;
        foreach (var ((_, e), (_, r), (_, i)) in ema.named_parameters().Zip(raw.named_parameters(), initial.named_parameters()))
        {
            toRaw += e.sub(r).pow(2).sum().item<float>();
            toInitial += e.sub(i).pow(2).sum().item<float>();
        }
        Assert.True(toRaw < 0.1 * toInitial, $"EMA is {Math.Sqrt(toRaw):G3} from the raw weights but {Math.Sqrt(toInitial):G3} from the initial ones");
        Assert.Contains("with warm-up", header.DescribeWeights(useEma: true));
        Assert.Contains("share in them is", header.DescribeWeights(useEma: true));
    }
}
