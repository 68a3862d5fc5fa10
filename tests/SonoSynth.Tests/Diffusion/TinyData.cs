using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Diffusion;

/// <summary>Tiny shapes so the Diffusion tests run in seconds on one core.</summary>
internal static class TinyData
{
    // One libtorch thread: on a loaded 2-core machine, spinning worker threads make tiny ops many times slower.
    static TinyData() => torch.set_num_threads(1);

    public static void UseOneThread() => _ = UNet;

    public static UNetConfig UNet { get; } = UNetConfig.CpuTiny with
    {
        ImageSize = 8, ModelChannels = 32, ChannelMultipliers = [1, 1], AttentionResolutions = [4], HeadChannels = 32, ClassCount = 0,
    };

    public static NoiseClassifierConfig Classifier { get; } = NoiseClassifierConfig.CpuTiny with
    {
        ImageSize = 8, ModelChannels = 32, ChannelMultipliers = [1, 1], AttentionResolutions = [4], HeadChannels = 32, ClassCount = 2,
    };

    /// <summary>Class 0 "dark" (pixels 20–60), class 1 "bright" (pixels 190–230), with seeded texture.</summary>
    public static LabelledImages DarkAndBright(int perClass, int size = 8, long seed = 5)
    {
        var rng = new Generator((ulong)seed);
        var dark = torch.randint(20, 60, [perClass, 1, size, size], generator: rng, dtype: ScalarType.Byte);
        var bright = torch.randint(190, 230, [perClass, 1, size, size], generator: rng, dtype: ScalarType.Byte);
        var labels = Enumerable.Repeat(0L, perClass).Concat(Enumerable.Repeat(1L, perClass)).ToArray();
        return new LabelledImages(torch.cat([dark, bright], 0), labels, ["dark", "bright"],
            labels.Select((l, i) => $"img{i}").ToArray());
    }

    /// <summary>One 8×8 image: a bright disc on a dark background.</summary>
    public static LabelledImages OneDisc()
    {
        var y = torch.arange(8, dtype: ScalarType.Float32).view(8, 1);
        var x = torch.arange(8, dtype: ScalarType.Float32).view(1, 8);
        var disc = ((y - 3.5f).square() + (x - 3.5f).square()).lt(7).to_type(ScalarType.Byte) * 200 + 20;
        return new LabelledImages(disc.view(1, 1, 8, 8).to_type(ScalarType.Byte), [0], ["disc"], ["disc"]);
    }

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "sonosynth-diffusion-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
