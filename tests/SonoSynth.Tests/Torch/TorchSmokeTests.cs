using static TorchSharp.torch;

namespace SonoSynth.Tests.Torch;

public class TorchSmokeTests
{
    [Fact]
    public void Conv2dForwardAndBackwardMatchHandComputedValues()
    {
        // 1x1x3x3 input 1..9, 2x2 kernel of ones, no padding: each output sums a 2x2 window.
        var input = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 1, 3, 3).requires_grad_();
        var weight = ones(1, 1, 2, 2, dtype: ScalarType.Float32).requires_grad_();
        var output = nn.functional.conv2d(input, weight);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, output.data<float>().ToArray());

        output.sum().backward();
        // d(sum)/d(weight[i,j]) = sum of the inputs each kernel tap sees: 1+2+4+5, 2+3+5+6, ...
        Assert.Equal(new float[] { 12, 16, 24, 28 }, weight.grad!.data<float>().ToArray());
        // d(sum)/d(input) counts the windows covering each pixel: corners 1, edges 2, centre 4.
        Assert.Equal(new float[] { 1, 2, 1, 2, 4, 2, 1, 2, 1 }, input.grad!.data<float>().ToArray());
    }
}
