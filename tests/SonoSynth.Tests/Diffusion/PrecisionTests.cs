using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.Interop;
using SonoSynth.Tests.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

public class PrecisionTests(ITestOutputHelper output)
{
    [Fact]
    public void Bf16_torso_stays_within_bfloat16_rounding_of_fp32_on_the_same_inputs()
    {
        TinyData.UseOneThread();
        // guided-diffusion's weights and inputs for a learned-σ, class-conditional U-Net (Fixtures/GuidedDiffusion).
        var fixture = new GuidedDiffusionFixture("unet-heads4-sigma-cond");
        using var folder = new TempFolder();
        var tensors = StateDictFile.Read(fixture.StateDictPath(folder.Path));
        using var model = new UNetModel(fixture.UNetConfig());
        GuidedDiffusionWeights.LoadStrict(model, tensors, fixture.Name);
        model.eval();
        using var arrays = fixture.Arrays();
        var x = arrays.Arrays["x"].to_type(ScalarType.Float32);
        var t = arrays.Arrays["timesteps"].to_type(ScalarType.Int64);
        var y = arrays.Arrays["labels"].to_type(ScalarType.Int64);
        using var noGrad = no_grad();
        var full = model.call(x, t, y);
        model.Precision = ComputePrecision.Bf16;
        var reduced = model.call(x, t, y);
        Assert.Equal(ScalarType.Float32, reduced.dtype); // the output layers run in float32, as guided-diffusion's
        double error = (full - reduced).abs().max().item<float>(), scale = full.abs().max().item<float>();
        output.WriteLine($"bf16 vs fp32: max |difference| = {error:E2}, outputs up to {scale:G3} (relative {error / scale:E2})");
        Assert.True(error > 0, "bf16 gave bit-identical outputs: the torso did not run in bfloat16");
        // bfloat16 keeps 8 significant bits (relative rounding 2^-9 ≈ 0.002 per op); through ~30 layers the drift stays a few percent.
        Assert.True(error < 0.05 * scale, $"bf16 drifted {error:E3} from fp32 (outputs up to {scale:G3})");
    }

    [Fact]
    public void Loss_scaler_unscales_finite_gradients_and_skips_overflowing_steps()
    {
        var parameter = new TorchSharp.Modules.Parameter(zeros(2));
        parameter.grad = tensor(new float[] { 3 * (1 << 20), -(1 << 19) });
        var scaler = new DynamicLossScaler();
        Assert.Equal(1 << 20, scaler.Scale(ones(1)).item<float>());
        Assert.True(scaler.Unscale([parameter]));
        Assert.Equal(new float[] { 3, -0.5f }, parameter.grad!.data<float>().ToArray());
        Assert.Equal(20.001, scaler.Log2Scale, 12); // guided-diffusion: fp16_scale_growth 1e-3 per good step

        parameter.grad = tensor(new float[] { float.PositiveInfinity, 1 });
        Assert.False(scaler.Unscale([parameter]));
        Assert.Equal(19.001, scaler.Log2Scale, 12);
        Assert.Equal(new float[] { 0, 0 }, parameter.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Fp16_is_refused_on_the_cpu_with_what_to_use_instead()
    {
        var error = Assert.Throws<ArgumentException>(() => ComputePrecision.Fp16.CheckSupported(CPU));
        Assert.Contains("bf16", error.Message);
        ComputePrecision.Bf16.CheckSupported(CPU);
    }
}
