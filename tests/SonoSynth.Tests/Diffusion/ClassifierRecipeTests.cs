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
        var options = new NoiseClassifierTrainingOptions(Steps: 2, BatchSize: 8, LearningRate: 1e-3, CheckpointEvery: 2, TimestepBands: 1,
            EvaluationImagesPerBand: 4, Seed: 11, AnnealLearningRate: true, RandomCrop: true, HorizontalFlip: true, Microbatch: microbatch);
        new NoiseClassifierTrainer(TinyData.Classifier, options, folder).Train(data);
        var (model, _) = NoiseClassifierTrainer.Load(Path.Combine(folder, "checkpoint.bin"));
        using (model) return model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
    }

    [Fact]
    public void Microbatches_add_up_to_the_whole_batchs_gradient()
    {
        TinyData.UseOneThread();
        using var model = new NoiseAwareClassifier(TinyData.Classifier);
        model.eval(); // no dropout draws, so slicing changes only the summation order
        using var generator = new Generator(5);
        using var xt = randn(new long[] { 8, 1, TinyData.Classifier.ImageSize, TinyData.Classifier.ImageSize }, generator: generator);
        using var timesteps = randint(0, 1000, new long[] { 8 }, generator: generator, dtype: ScalarType.Int64);
        using var labels = tensor(new long[] { 0, 1, 1, 0, 1, 0, 0, 1 });
        Dictionary<string, Tensor> Gradients(int slice, out double loss)
        {
            model.zero_grad();
            (loss, _) = NoiseClassifierTrainer.AccumulateGradients(model, xt, timesteps, labels, slice);
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        }
        var whole = Gradients(8, out double wholeLoss);
        var sliced = Gradients(3, out double slicedLoss); // 3 + 3 + 2: uneven slices weighted by their share
        Assert.Equal(wholeLoss, slicedLoss, 5);
        double scale = whole.Values.Max(g => g.abs().max().item<float>());
        double worst = whole.Max(p => (p.Value - sliced[p.Key]).abs().max().item<float>());
        Assert.True(scale > 1e-4, "the gradients are all but zero; the comparison tests nothing");
        Assert.True(worst <= 1e-5 * scale, $"microbatched gradients differ from the whole batch's by {worst:E2} (largest {scale:E2})");
    }

    [Fact]
    public void Microbatched_training_with_the_whole_recipe_runs_and_changes_the_weights()
    {
        TinyData.UseOneThread();
        var trained = TrainTwoSteps(3, TinyData.TempFolder());
        using var fresh = new NoiseAwareClassifier(TinyData.Classifier);
        Assert.True(trained.Any(p => p.Key.EndsWith("weight") && !p.Value.allclose(fresh.state_dict()[p.Key])), "training changed nothing");
    }

    [Fact]
    public void Annealed_learning_rate_falls_linearly_to_zero()
    {
        var options = new NoiseClassifierTrainingOptions(Steps: 4, LearningRate: 3e-4, AnnealLearningRate: true);
        Assert.Equal([3e-4, 2.25e-4, 1.5e-4, 0.75e-4], Enumerable.Range(0, 4).Select(s => Math.Round(options.LearningRateAt(s), 12)));
        Assert.Equal(3e-4, (options with { AnnealLearningRate = false }).LearningRateAt(3));
    }

    [Fact]
    public void Random_crop_keeps_the_size_and_a_flat_image_flat()
    {
        using var rng = new Generator(4);
        using var flat = full(new long[] { 3, 1, 16, 16 }, 0.25f);
        using var cropped = NoiseClassifierTrainer.RandomCrop(flat, rng);
        Assert.Equal(flat.shape, cropped.shape);
        Assert.True((cropped - 0.25f).abs().max().item<float>() < 1e-6);
        // A ramp comes back scaled by a factor in [1, 1.25] and shifted by the crop.
        using var ramp = arange(16, dtype: ScalarType.Float32).div(16).view(1, 1, 1, 16).expand(8, 1, 16, 16).contiguous();
        using var moved = NoiseClassifierTrainer.RandomCrop(ramp, rng);
        Assert.False(moved.allclose(ramp), "random crop returned the images unchanged");
    }
}
