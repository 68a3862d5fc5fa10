using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

/// <summary>guided-diffusion's classifier_train.py recipe: microbatches, annealed learning rate, random crops.</summary>
public class ClassifierRecipeTests
{
    private static Dictionary<string, Tensor> TrainTwoSteps(int microbatch, string folder)
    {
        using var data = TinyData.DarkAndBright(6);
        var options = new ClassifierTrainingOptions(Steps: 2, BatchSize: 8, LearningRate: 1e-3, CheckpointEvery: 2, TimestepBands: 1,
            EvaluationImagesPerBand: 4, Seed: 11, AnnealLearningRate: true, RandomCrop: true, HorizontalFlip: true, Microbatch: microbatch);
        new ClassifierTrainer(TinyData.Classifier, options, folder).Train(data);
        var (model, _) = ClassifierTrainer.Load(Path.Combine(folder, "checkpoint.bin"));
        using (model) return model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
    }

    [Fact]
    public void Microbatches_give_the_whole_batchs_update()
    {
        TinyData.UseOneThread();
        var whole = TrainTwoSteps(0, TinyData.TempFolder());
        var sliced = TrainTwoSteps(3, TinyData.TempFolder()); // 3 + 3 + 2: uneven slices weighted by their share
        double worst = whole.Max(p => (p.Value.to_type(ScalarType.Float64) - sliced[p.Key].to_type(ScalarType.Float64)).abs().max().item<double>());
        Assert.True(worst < 1e-5, $"microbatched training differs from the whole batch by {worst:E2}");
        var fresh = new NoiseAwareClassifier(TinyData.Classifier);
        Assert.True(whole.Any(p => p.Key.EndsWith("weight") && !p.Value.allclose(fresh.state_dict()[p.Key])), "training changed nothing");
    }

    [Fact]
    public void Annealed_learning_rate_falls_linearly_to_zero()
    {
        var options = new ClassifierTrainingOptions(Steps: 4, LearningRate: 3e-4, AnnealLearningRate: true);
        Assert.Equal([3e-4, 2.25e-4, 1.5e-4, 0.75e-4], Enumerable.Range(0, 4).Select(s => Math.Round(options.LearningRateAt(s), 12)));
        Assert.Equal(3e-4, (options with { AnnealLearningRate = false }).LearningRateAt(3));
    }

    [Fact]
    public void Random_crop_keeps_the_size_and_a_flat_image_flat()
    {
        using var rng = new Generator(4);
        using var flat = full(new long[] { 3, 1, 16, 16 }, 0.25f);
        using var cropped = ClassifierTrainer.RandomCrop(flat, rng);
        Assert.Equal(flat.shape, cropped.shape);
        Assert.True((cropped - 0.25f).abs().max().item<float>() < 1e-6);
        // A ramp comes back scaled by a factor in [1, 1.25] and shifted by the crop.
        using var ramp = arange(16, dtype: ScalarType.Float32).div(16).view(1, 1, 1, 16).expand(8, 1, 16, 16).contiguous();
        using var moved = ClassifierTrainer.RandomCrop(ramp, rng);
        Assert.False(moved.allclose(ramp), "random crop returned the images unchanged");
    }
}
