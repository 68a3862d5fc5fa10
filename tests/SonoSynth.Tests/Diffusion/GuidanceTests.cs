using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Training;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class GuidanceTests
{
    public GuidanceTests() => TinyData.UseOneThread();

    [Fact]
    [Trait("Category", "Slow")]
    public void Guided_samples_hit_the_target_class_more_often_than_unguided()
    {
        using var data = TinyData.DarkAndBright(16);
        var folder = TinyData.TempFolder();
        var options = new NoiseClassifierTrainingOptions(Steps: 40, BatchSize: 16, LearningRate: 1e-3, WeightDecay: 0,
            CheckpointEvery: 1000, TimestepBands: 4, EvaluationImagesPerBand: 32);
        var trained = new NoiseClassifierTrainer(TinyData.Classifier, options, folder).Train(data);
        Assert.Equal(4, trained.AccuracyByBand.Count);
        Assert.Equal((0, 250), (trained.AccuracyByBand[0].FromTimestep, trained.AccuracyByBand[0].ToTimestep));
        Assert.True(trained.AccuracyByBand[0].Accuracy > 0.9, $"low-noise accuracy {trained.AccuracyByBand[0].Accuracy}");
        Assert.True(File.Exists(Path.Combine(folder, "accuracy_by_t.csv")));

        var (classifier, header) = NoiseClassifierTrainer.Load(trained.CheckpointPath);
        Assert.Equal(["dark", "bright"], header.ClassNames);
        // An untrained diffusion model (ε̂ ≡ 0): whatever class signal the samples carry comes from the guidance.
        torch.random.manual_seed(0);
        using var unet = new UNetModel(TinyData.UNet);
        const int count = 16;
        var targets = torch.tensor(Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray());
        var seeds = Enumerable.Range(100, count).Select(i => (long)i).ToArray();
        double HitRate(double scale)
        {
            var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddim, "ddim10", ClassifierScale: scale), classifier);
            var samples = generator.Generate(targets, seeds);
            var predictedBright = samples.mean([1, 2, 3]).gt(0).to_type(ScalarType.Int64); // the mean-intensity rule
            return predictedBright.eq(targets).to_type(ScalarType.Float32).mean().item<float>();
        }
        double unguided = HitRate(0), guided = HitRate(20);
        Assert.True(guided >= unguided + 0.25, $"guided hit rate {guided} vs unguided {unguided}");
    }
}

public class NoiseClassifierTrainerTests
{
    public NoiseClassifierTrainerTests() => TinyData.UseOneThread();

    [Fact]
    public void Resumed_classifier_training_gives_bit_identical_weights()
    {
        using var data = TinyData.DarkAndBright(4);
        NoiseClassifierTrainingOptions Options(int steps) => new(Steps: steps, BatchSize: 4, CheckpointEvery: 100, TimestepBands: 2,
            EvaluationImagesPerBand: 4, HorizontalFlip: true, Seed: 3);
        var straight = TinyData.TempFolder();
        new NoiseClassifierTrainer(TinyData.Classifier, Options(4), straight).Train(data);
        var split = TinyData.TempFolder();
        new NoiseClassifierTrainer(TinyData.Classifier, Options(2), split).Train(data);
        new NoiseClassifierTrainer(TinyData.Classifier, Options(4), split).Train(data, resume: true);
        var (a, _) = NoiseClassifierTrainer.Load(Path.Combine(straight, "checkpoint.bin"));
        var (b, header) = NoiseClassifierTrainer.Load(Path.Combine(split, "checkpoint.bin"));
        Assert.Equal(4, header.Step);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs");
    }
}
