using SonoSynth.Layers;
using SonoSynth.Models;
using SonoSynth.Quality.Inception;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Layers;

/// <summary>
/// Inference folds BatchNorm into the convolutions before it. The folded path must give the outputs of the layer-by-layer
/// eval-mode network (what runs while gradients are enabled) to float rounding, with non-trivial running statistics.
/// </summary>
public class FoldedBatchNormTests
{
    /// <summary>Running statistics and affine parameters far from the identity, so a wrong fold cannot pass.</summary>
    private static void RandomiseBatchNorms(nn.Module model, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var module in model.modules().OfType<BatchNorm2d>())
        {
            long c = module.weight!.shape[0];
            module.weight!.copy_(rand(c, generator: generator) + 0.5);
            module.bias!.copy_(randn(c, generator: generator) * 0.2);
            module.running_mean!.copy_(randn(c, generator: generator) * 0.3);
            module.running_var!.copy_(rand(c, generator: generator) + 0.5);
        }
    }

    private static (Tensor Folded, Tensor Reference) BothPaths(nn.Module<Tensor, Tensor> model, Tensor input)
    {
        model.eval();
        Tensor folded, reference;
        using (no_grad()) folded = model.call(input);
        using (enable_grad()) reference = model.call(input).detach();
        return (folded, reference);
    }

    [Fact]
    public void OneConvolutionWithBiasMatchesConvolutionThenBatchNorm()
    {
        manual_seed(1);
        using var conv = nn.Conv2d(3, 5, 3, stride: 2, padding: 1, bias: true);
        using var bn = nn.BatchNorm2d(5);
        RandomiseBatchNorms(bn, 2);
        bn.eval();
        var x = randn(2, 3, 9, 9);
        using var noGrad = no_grad();
        var folded = FoldedBatchNorm.Conv(x, conv, bn);
        var reference = bn.call(conv.call(x));
        Assert.True(folded.allclose(reference, rtol: 1e-5, atol: 1e-5), $"max difference {(folded - reference).abs().max().item<float>()}");
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("resnet50")]
    [InlineData("densenet169")]
    public void CnnInferenceEqualsTheLayerByLayerEvalNetwork(string architecture)
    {
        manual_seed(3);
        using var model = ClassifierRegistry.Create(architecture, new ClassifierConfig(1, 6, 32));
        RandomiseBatchNorms(model, 4);
        var (folded, reference) = BothPaths(model, randn(3, 1, 32, 32));
        Assert.True(folded.allclose(reference, rtol: 1e-4, atol: 1e-4), $"max difference {(folded - reference).abs().max().item<float>()}");
    }

    [Fact]
    public void InceptionPoolFeaturesEqualTheLayerByLayerEvalNetwork()
    {
        manual_seed(5);
        using var model = new InceptionV3(InceptionV3Options.Fid);
        RandomiseBatchNorms(model, 6);
        model.eval();
        var x = randn(2, 3, 96, 96);
        Tensor folded, reference;
        using (no_grad()) folded = model.ForwardPool3(x);
        using (enable_grad()) reference = model.ForwardPool3(x).detach();
        Assert.Equal([2, 2048], folded.shape);
        Assert.True(folded.allclose(reference, rtol: 1e-4, atol: 1e-4), $"max difference {(folded - reference).abs().max().item<float>()}");
    }
}
