using System.Globalization;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.Tests.TrainingKit;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

[Trait("Category", "Slow")]
public class DiffusionTrainerTests
{
    public DiffusionTrainerTests() => TinyData.UseOneThread();

    [Fact]
    public void Init_from_runs_the_callers_loader_once_and_not_again_on_resume()
    {
        using var data = TinyData.OneDisc();
        var folder = TinyData.TempFolder();
        DiffusionTrainingOptions Options(int steps) => new(Steps: steps, BatchSize: 2, ClassConditional: false,
            CheckpointEvery: 1, SampleEvery: 1000, InitFrom: "released.pt");
        int calls = 0;
        string Load(UNetModel model) { calls++; return "copied: everything"; }

        var first = new DiffusionTrainer(TinyData.UNet, Options(1), folder) { Initialize = Load }.Train(data);
        new DiffusionTrainer(TinyData.UNet, Options(2), folder) { Initialize = Load }.Train(data, resume: true);

        Assert.Equal(1, calls);
        Assert.Equal("copied: everything", first.Initialization);
        Assert.Equal("--init-from released.pt\ncopied: everything\n", File.ReadAllText(Path.Combine(folder, "initialization.txt")));
        // InitFrom without a loader is a programming error, not a silent fresh start.
        Assert.Throws<ArgumentException>(() => new DiffusionTrainer(TinyData.UNet, Options(1), TinyData.TempFolder()).Train(data));
    }

    [Fact]
    public void Tiny_unet_overfits_one_image()
    {
        var folder = TinyData.TempFolder();
        using var data = TinyData.OneDisc();
        var options = new DiffusionTrainingOptions(Steps: 80, BatchSize: 4, LearningRate: 2e-3, EmaRate: 0.9,
            ClassConditional: false, CheckpointEvery: 1000, SampleEvery: 1000);
        var result = new DiffusionTrainer(TinyData.UNet, options, folder).Train(data);
        Assert.Equal(80, result.Step);
        var losses = File.ReadAllLines(Path.Combine(folder, "loss.csv")).Skip(1)
            .Select(line => double.Parse(line.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(80, losses.Length);
        double first = losses.Take(10).Average(), last = losses.TakeLast(20).Average();
        Assert.True(first > 0.5, $"initial ε-MSE should be near 1 (zero output), was {first}");
        Assert.True(last < first / 5, $"loss fell only from {first} to {last}");
    }

    [Fact]
    public void Resumed_training_gives_bit_identical_weights()
    {
        using var data = TinyData.DarkAndBright(4);
        // Dropout 0: dropout masks come from libtorch's global generator, which parallel tests also draw from.
        var config = TinyData.UNet with { LearnSigma = true };
        DiffusionTrainingOptions Options(int steps) => new(Steps: steps, BatchSize: 4, LearningRate: 1e-3, EmaRate: 0.9,
            LabelDropout: 0.2, HorizontalFlip: true, CheckpointEvery: 100, SampleEvery: 100, Seed: 11);

        var straight = TinyData.TempFolder();
        new DiffusionTrainer(config, Options(6), straight).Train(data);
        var split = TinyData.TempFolder();
        new DiffusionTrainer(config, Options(3), split).Train(data);
        var resumed = new DiffusionTrainer(config, Options(6), split).Train(data, resume: true);
        Assert.Equal(6, resumed.Step);

        foreach (var useEma in new[] { false, true })
        {
            var (a, _) = DiffusionCheckpoint.Load(Path.Combine(straight, "checkpoint.bin"), useEma);
            var (b, header) = DiffusionCheckpoint.Load(Path.Combine(split, "checkpoint.bin"), useEma);
            Assert.Equal(6, header.Step);
            foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
                Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs (ema={useEma})");
        }
        Assert.Equal(7, File.ReadAllLines(Path.Combine(split, "loss.csv")).Length); // header + 6 steps, no duplicates
    }

    [Fact]
    public void Checkpoint_of_an_earlier_version_resumes_to_the_same_weights()
    {
        using var data = TinyData.DarkAndBright(4);
        DiffusionTrainingOptions Options(int steps) => new(Steps: steps, BatchSize: 4, LearningRate: 1e-3, EmaRate: 0.9,
            HorizontalFlip: true, CheckpointEvery: 100, SampleEvery: 100, Seed: 12);
        var straight = TinyData.TempFolder();
        new DiffusionTrainer(TinyData.UNet, Options(4), straight).Train(data);
        var split = TinyData.TempFolder();
        new DiffusionTrainer(TinyData.UNet, Options(2), split).Train(data);
        LegacyCheckpoints.RewriteUnnamed(Path.Combine(split, DiffusionCheckpoint.FileName), LegacyCheckpoints.UNetOrNoiseClassifierMagic);
        Assert.Equal(2, DiffusionCheckpoint.Load(Path.Combine(split, DiffusionCheckpoint.FileName)).Header.Step);
        new DiffusionTrainer(TinyData.UNet, Options(4), split).Train(data, resume: true);

        foreach (var useEma in new[] { false, true })
        {
            var (a, _) = DiffusionCheckpoint.Load(Path.Combine(straight, DiffusionCheckpoint.FileName), useEma);
            var (b, _) = DiffusionCheckpoint.Load(Path.Combine(split, DiffusionCheckpoint.FileName), useEma);
            foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
                Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs (ema={useEma})");
        }
    }

    [Fact]
    public void Existing_checkpoint_without_resume_is_refused()
    {
        using var data = TinyData.DarkAndBright(2);
        var folder = TinyData.TempFolder();
        var options = new DiffusionTrainingOptions(Steps: 1, BatchSize: 2, CheckpointEvery: 10, SampleEvery: 10);
        new DiffusionTrainer(TinyData.UNet, options, folder).Train(data);
        var error = Assert.Throws<InputError>(() => new DiffusionTrainer(TinyData.UNet, options, folder).Train(data));
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void Diverging_loss_stops_and_keeps_the_last_good_checkpoint()
    {
        using var data = TinyData.DarkAndBright(2);
        var folder = TinyData.TempFolder();
        var options = new DiffusionTrainingOptions(Steps: 10, BatchSize: 2, LearningRate: 1e30, GradientClipNorm: 0,
            CheckpointEvery: 1, SampleEvery: 1000);
        var error = Assert.Throws<NonFiniteLossException>(() => new DiffusionTrainer(TinyData.UNet, options, folder).Train(data));
        Assert.Contains("last good checkpoint", error.Message);
        var (model, header) = DiffusionCheckpoint.Load(Path.Combine(folder, "checkpoint.bin"), useEma: false);
        Assert.True(header.Step >= 1);
        Assert.All(model.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }
}
