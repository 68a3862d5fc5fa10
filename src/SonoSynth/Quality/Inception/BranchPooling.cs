using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>
/// The 3x3 stride-1 pooling in front of an Inception block's pool branch. torchvision averages including the zero
/// padding; the TensorFlow 2015 graph behind FID excludes the padding, and its last block (Mixed_7c) max-pools
/// (pytorch-fid's FIDInceptionA/C/E_1/E_2 patches).
/// </summary>
public enum BranchPooling
{
    /// <summary>torchvision: avg_pool2d(3, 1, 1), count_include_pad=True.</summary>
    Average,
    /// <summary>FIDInceptionA / C / E_1: avg_pool2d(3, 1, 1), count_include_pad=False.</summary>
    AverageExcludingPadding,
    /// <summary>FIDInceptionE_2: max_pool2d(3, 1, 1).</summary>
    Max,
}

internal static class BranchPoolingExtensions
{
    public static Tensor Apply(this BranchPooling pooling, Tensor x) => pooling switch
    {
        BranchPooling.Average => nn.functional.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: true),
        BranchPooling.AverageExcludingPadding => nn.functional.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false),
        BranchPooling.Max => nn.functional.max_pool2d(x, 3, stride: 1, padding: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(pooling)),
    };
}
