using SonoSynth.Diffusion.Networks;
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
        foreach (var parameter in module.parameters()) parameter.copy_(randn(parameter.shape, generator: generator) * 0.2);
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
}
