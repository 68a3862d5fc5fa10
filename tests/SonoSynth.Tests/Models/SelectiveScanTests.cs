using SonoSynth.Models;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

public class SelectiveScanTests
{
    private static (Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor D) Inputs(long length, double deltaScale)
    {
        var generator = new Generator(7);
        // 2 images, 4 directions, 3 channels, 5 states; Δ > 0 and A < 0 as in Mamba.
        var u = randn(2, 4, 3, length, generator: generator, dtype: ScalarType.Float64);
        var delta = rand(2, 4, 3, length, generator: generator, dtype: ScalarType.Float64) * deltaScale;
        var a = -rand(4, 3, 5, generator: generator, dtype: ScalarType.Float64) * 8 - 0.5;
        var b = randn(2, 4, 5, length, generator: generator, dtype: ScalarType.Float64);
        var c = randn(2, 4, 5, length, generator: generator, dtype: ScalarType.Float64);
        var d = randn(4, 3, generator: generator, dtype: ScalarType.Float64);
        return (u, delta, a, b, c, d);
    }

    // 37 steps: not a multiple of any chunk length, so the padded tail is exercised. A Δ scale of 0.05 gives
    // long chunks, 3.0 short ones, 12.0 single steps (decays of up to e^-100 per step).
    [Theory]
    [InlineData(37, 0.05)]
    [InlineData(37, 3.0)]
    [InlineData(37, 12.0)]
    [InlineData(1, 0.3)]
    public void ChunkedScanEqualsTheStepByStepRecurrence(long length, double deltaScale)
    {
        var (u, delta, a, b, c, d) = Inputs(length, deltaScale);
        var expected = SelectiveScan.Naive(u, delta, a, b, c, d);
        var actual = SelectiveScan.Chunked(u, delta, a, b, c, d);
        Assert.True(actual.allclose(expected, rtol: 1e-9, atol: 1e-10), $"max |diff| {(actual - expected).abs().max().item<double>()}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChunkedScanGradientsEqualTheRecurrenceGradients(bool recomputeInBackward)
    {
        var inputs = Inputs(21, 0.2);
        Tensor[] Leaves() => [inputs.U.clone().requires_grad_(), inputs.Delta.clone().requires_grad_(),
            inputs.A.clone().requires_grad_(), inputs.B.clone().requires_grad_(), inputs.C.clone().requires_grad_(),
            inputs.D.clone().requires_grad_()];
        var weights = randn(2, 4, 3, 21, generator: new Generator(3), dtype: ScalarType.Float64);

        var naive = Leaves();
        (SelectiveScan.Naive(naive[0], naive[1], naive[2], naive[3], naive[4], naive[5]) * weights).sum().backward();
        var chunked = Leaves();
        var scan = recomputeInBackward
            ? RecomputedSelectiveScan.Apply(chunked[0], chunked[1], chunked[2], chunked[3], chunked[4], chunked[5])
            : SelectiveScan.Chunked(chunked[0], chunked[1], chunked[2], chunked[3], chunked[4], chunked[5]);
        (scan * weights).sum().backward();

        for (var i = 0; i < naive.Length; i++)
            Assert.True(chunked[i].grad!.allclose(naive[i].grad!, rtol: 1e-8, atol: 1e-10), $"gradient {i} differs");
    }

    [Fact]
    public void SingleStepMatchesTheClosedForm()
    {
        // One step from h0 = 0: h = Δ u B, so y = Δ u (B·C) + D u. With Δ=0.5, u=2, B=(1,2), C=(3,-1), D=0.25:
        // y = 0.5*2*(3-2) + 0.5 = 1.5.
        var u = full(1, 1, 1, 1, 2.0);
        var delta = full(1, 1, 1, 1, 0.5);
        var a = full(1, 1, 2, -1.0);
        var b = tensor(new[] { 1.0f, 2.0f }).view(1, 1, 2, 1);
        var c = tensor(new[] { 3.0f, -1.0f }).view(1, 1, 2, 1);
        var d = full(1, 1, 0.25);
        Assert.Equal(1.5f, SelectiveScan.Chunked(u, delta, a, b, c, d).item<float>(), 5);
    }
}
