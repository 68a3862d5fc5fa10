using System.Text.Json;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.TrainingKit;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

/// <summary>Recomputed activations must give the very gradients of the stored ones (guided-diffusion's --use_checkpoint).</summary>
public class ActivationCheckpointTests
{
    private static void Randomise(nn.Module module, long seed)
    {
        // Every weight random, including the zero-initialised output convolutions, so every gradient is non-trivial.
        var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters())
        {
            using var value = randn(parameter.shape, generator: generator) * 0.2; // named: a GC'd temporary would be freed mid-copy
            parameter.copy_(value);
        }
    }

    private static (Tensor Output, Tensor[] Gradients) Run(ResBlock block, Tensor x, Tensor embedding, Tensor weights, bool recompute)
    {
        var leaves = new[] { x.clone().requires_grad_(), embedding.clone().requires_grad_() };
        foreach (var parameter in block.parameters()) parameter.grad?.zero_();
        manual_seed(11); // the dropout mask
        var output = recompute
            ? ActivationCheckpoint.Apply(inputs => block.call(inputs[0], inputs[1]), leaves, block.parameters())
            : block.call(leaves[0], leaves[1]);
        (output * weights).sum().backward();
        return (output.detach(), [.. leaves.Select(l => l.grad!), .. block.parameters().Select(p => p.grad!.clone())]);
    }

    [Fact]
    public void ForwardPassKeepsNoGraphAndBackwardRecomputesWithOne()
    {
        // The memory saving rests on this: the block's first run builds no graph (its activations are freed at once),
        // and only the backward pass's second run records one.
        var gradModes = new List<bool>();
        using var x = randn(2, 3).requires_grad_();
        var output = ActivationCheckpoint.Apply(inputs => { gradModes.Add(is_grad_enabled()); return inputs[0].tanh() * 2; }, [x], []);
        Assert.Equal([false], gradModes);
        output.sum().backward();
        Assert.Equal([false, true], gradModes);
        Assert.True(x.grad!.allclose((1 - x.tanh().square()) * 2));
    }

    [Fact]
    public void RecomputedResBlockGivesTheSameOutputAndGradientsWithDropout()
    {
        using var scope = NewDisposeScope();
        using var block = new ResBlock(32, 64, dropout: 0.3, outChannels: 64, useScaleShiftNorm: true, down: true);
        Randomise(block, 3);
        block.train();
        var generator = new Generator(5);
        var x = randn(2, 32, 8, 8, generator: generator);
        var embedding = randn(2, 64, generator: generator);
        var weights = randn(2, 64, 4, 4, generator: generator);

        var stored = Run(block, x, embedding, weights, recompute: false);
        var recomputed = Run(block, x, embedding, weights, recompute: true);

        Assert.True(recomputed.Output.equal(stored.Output).all().item<bool>());
        Assert.Equal(stored.Gradients.Length, recomputed.Gradients.Length);
        for (int i = 0; i < stored.Gradients.Length; i++)
        {
            Assert.True(stored.Gradients[i].abs().max().item<float>() > 0, $"gradient {i} is zero: the check would be vacuous");
            Assert.True(recomputed.Gradients[i].allclose(stored.Gradients[i], rtol: 1e-5, atol: 1e-6), $"gradient {i} differs");
        }
    }

    private static Dictionary<string, Tensor> Gradients(nn.Module model, Func<Tensor> loss)
    {
        model.train();
        manual_seed(17); // dropout masks
        loss().backward();
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    private static void AssertSameGradients(Dictionary<string, Tensor> stored, Dictionary<string, Tensor> recomputed)
    {
        Assert.Equal(stored.Keys.Order(), recomputed.Keys.Order());
        Assert.Contains(stored.Values, g => g.abs().max().item<float>() > 0);
        foreach (var (name, gradient) in stored)
            Assert.True(recomputed[name].allclose(gradient, rtol: 1e-5, atol: 1e-6), $"gradient of {name} differs");
    }

    [Fact]
    public void UNetWithUseCheckpointGivesTheSameGradients()
    {
        using var scope = NewDisposeScope();
        var config = UNetConfig.CpuTiny with { ImageSize = 16, ClassCount = 3, Dropout = 0.1 };
        using var stored = new UNetModel(config);
        using var recomputed = new UNetModel(config with { UseCheckpoint = true });
        Randomise(stored, 4);
        recomputed.load_state_dict(stored.state_dict());
        var generator = new Generator(6);
        var x = randn(2, 1, 16, 16, generator: generator);
        var target = randn(2, 1, 16, 16, generator: generator);
        var t = tensor(new long[] { 10, 900 });
        var y = tensor(new long[] { 0, 2 });
        AssertSameGradients(Gradients(stored, () => nn.functional.mse_loss(stored.call(x, t, y), target)),
            Gradients(recomputed, () => nn.functional.mse_loss(recomputed.call(x, t, y), target)));
    }

    [Fact]
    public void NoiseAwareClassifierWithUseCheckpointGivesTheSameGradients()
    {
        using var scope = NewDisposeScope();
        var config = NoiseClassifierConfig.CpuTiny with { ImageSize = 16, ClassCount = 3, Dropout = 0.1 };
        using var stored = new NoiseAwareClassifier(config);
        using var recomputed = new NoiseAwareClassifier(config with { UseCheckpoint = true });
        Randomise(stored, 8);
        recomputed.load_state_dict(stored.state_dict());
        var x = randn(2, 1, 16, 16, generator: new Generator(9));
        var t = tensor(new long[] { 10, 900 });
        var y = tensor(new long[] { 1, 2 });
        AssertSameGradients(Gradients(stored, () => nn.functional.cross_entropy(stored.call(x, t), y)),
            Gradients(recomputed, () => nn.functional.cross_entropy(recomputed.call(x, t), y)));
    }

    [Fact]
    public void CheckpointFilesDoNotRecordTheRecomputationSetting()
    {
        // A run may be resumed with or without --use-checkpoint: the header's configuration must not change with it.
        var plain = JsonSerializer.Serialize(UNetConfig.CpuTiny, CheckpointFile.Json);
        Assert.Equal(plain, JsonSerializer.Serialize(UNetConfig.CpuTiny with { UseCheckpoint = true }, CheckpointFile.Json));
        Assert.Equal(JsonSerializer.Serialize(NoiseClassifierConfig.CpuTiny, CheckpointFile.Json),
            JsonSerializer.Serialize(NoiseClassifierConfig.CpuTiny with { UseCheckpoint = true }, CheckpointFile.Json));
    }
}
