using SonoSynth.Models.Layers;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

public class SubsampledPointwiseConvTests
{
    // A map where the strided oneDNN kernel is safe: odd size 9 (the strided conv reads rows 0,2,..,8).
    [Fact]
    public void OutputsAndGradientsEqualAStridedOneByOneConvolution()
    {
        manual_seed(5);
        using var subsampled = new SubsampledPointwiseConv(6, 4, 2);
        var weight = subsampled.Weight.detach().clone().requires_grad_();
        var input = randn(2, 6, 9, 9, dtype: ScalarType.Float32);
        var upstream = randn(2, 4, 5, 5);

        var x1 = input.clone().requires_grad_();
        var ours = subsampled.call(x1);
        (ours * upstream).sum().backward();

        var x2 = input.clone().requires_grad_();
        var strided = nn.functional.conv2d(x2, weight, strides: [2, 2]);
        (strided * upstream).sum().backward();

        Assert.Equal(strided.shape, ours.shape);
        Assert.True(ours.allclose(strided, rtol: 1e-5, atol: 1e-6));
        Assert.True(subsampled.Weight.grad!.allclose(weight.grad!, rtol: 1e-5, atol: 1e-5));
        Assert.True(x1.grad!.allclose(x2.grad!, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void KeepsConv2dParameterName()
    {
        using var subsampled = new SubsampledPointwiseConv(8, 16, 2);
        Assert.Equal(["weight"], subsampled.named_parameters().Select(p => p.name));
    }
}
