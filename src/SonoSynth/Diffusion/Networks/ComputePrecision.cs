using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// Precision of the U-Net's and classifier's torso (input blocks, middle block, output blocks), as guided-diffusion's
/// --use_fp16: convolutions and attention run in this type, while GroupNorm statistics, softmax, the timestep and label
/// embeddings and the final output layers stay float32, and the parameters stay float32 master weights.
/// </summary>
public enum ComputePrecision
{
    Fp32,
    /// <summary>float16, as guided-diffusion's use_fp16 (CUDA only); training needs loss scaling.</summary>
    Fp16,
    /// <summary>bfloat16: float32's range with 8 mantissa bits; no loss scaling needed (CPUs, Ampere and later GPUs).</summary>
    Bf16,
}

public static class ComputePrecisionExtensions
{
    public static ScalarType ScalarType(this ComputePrecision precision) => precision switch
    {
        ComputePrecision.Fp32 => TorchSharp.torch.ScalarType.Float32,
        ComputePrecision.Fp16 => TorchSharp.torch.ScalarType.Float16,
        ComputePrecision.Bf16 => TorchSharp.torch.ScalarType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    /// <summary>The CLI spelling: fp32, fp16, bf16.</summary>
    public static string Name(this ComputePrecision precision) => precision.ToString().ToLowerInvariant();

    public static ComputePrecision Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => ComputePrecision.Fp32,
        "fp16" or "float16" or "half" => ComputePrecision.Fp16,
        "bf16" or "bfloat16" => ComputePrecision.Bf16,
        _ => throw new ArgumentException($"Unknown precision '{text}'. Choose one of: fp32, fp16, bf16."),
    };

    /// <summary>Refuses fp16 off CUDA: libtorch's CPU kernels do not cover float16 convolutions.</summary>
    public static void CheckSupported(this ComputePrecision precision, Device device)
    {
        if (precision == ComputePrecision.Fp16 && device.type != TorchSharp.DeviceType.CUDA)
            throw new ArgumentException("--precision fp16 needs a CUDA device (--device cuda); on a CPU use --precision bf16 or fp32.");
    }
}
