using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.TrainingKit;

/// <summary>The memory-lean update must be TorchSharp's AdamW to the bit: same weights, same saved optimizer state.</summary>
public class AdamWTests
{
    private static nn.Module<Tensor, Tensor> Network(long seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(7, 5), nn.Tanh(), nn.Linear(5, 3));
    }

    private static byte[] Train(Func<IEnumerable<TorchSharp.Modules.Parameter>, TorchSharp.Modules.AdamW> makeOptimizer, nn.Module<Tensor, Tensor> network)
    {
        using var optimizer = makeOptimizer(network.parameters());
        var data = new Generator(3);
        for (int step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var x = randn([6, 7], generator: data);
            network.call(x).square().mean().backward();
            optimizer.step();
        }
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return stream.ToArray();
    }

    [Fact]
    public void GivesTorchSharpsAdamWWeightsAndStateBitForBit()
    {
        using var reference = Network(1);
        using var lean = Network(1);
        var referenceState = Train(p => optim.AdamW(p, 1e-2, weight_decay: 0.05), reference);
        var leanState = Train(p => new SonoSynth.TrainingKit.AdamW(p, 1e-2, 0.05), lean);

        var referenceWeights = reference.parameters().ToArray();
        var leanWeights = lean.parameters().ToArray();
        Assert.Equal(referenceWeights.Length, leanWeights.Length);
        for (int i = 0; i < referenceWeights.Length; i++)
            Assert.True(referenceWeights[i].equal(leanWeights[i]).all().item<bool>(), $"parameter {i} differs");
        Assert.False(reference.parameters().First().equal(Network(1).parameters().First()).all().item<bool>(), "training did not move the weights");
        Assert.Equal(referenceState, leanState);
    }
}
