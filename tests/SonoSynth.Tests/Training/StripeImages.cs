using SonoSynth.Data;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Training;

/// <summary>
/// A three-class toy task a small CNN with global pooling can learn in seconds: horizontal stripes, vertical
/// stripes, and a checkerboard, each with random phase and Gaussian noise, 16x16 uint8.
/// </summary>
internal static class StripeImages
{
    public static readonly string[] ClassNames = ["Horizontal stripes", "Vertical stripes", "Checkerboard"];

    public static LabelledImages Make(int perClass, long seed, string prefix = "img")
    {
        const int size = 16;
        var random = new Random((int)seed);
        int n = perClass * 3;
        var pixels = new byte[n * size * size];
        var labels = new long[n];
        var ids = new string[n];
        for (int i = 0; i < n; i++)
        {
            int label = i % 3;
            labels[i] = label;
            ids[i] = $"{prefix}_{i:D4}.png";
            int phaseX = random.Next(4), phaseY = random.Next(4);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool bright = label switch
                    {
                        0 => (y + phaseY) / 2 % 2 == 0,
                        1 => (x + phaseX) / 2 % 2 == 0,
                        _ => ((x + phaseX) / 2 + (y + phaseY) / 2) % 2 == 0,
                    };
                    double value = (bright ? 0.75 : 0.25) + 0.15 * Gaussian(random);
                    pixels[(i * size + y) * size + x] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
                }
        }
        return new LabelledImages(tensor(pixels, dtype: ScalarType.Byte).reshape(n, 1, size, size), labels, ClassNames, ids);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>A seeded augmentation: random horizontal flips, drawn only from the generator.</summary>
    public static Tensor RandomHorizontalFlip(Tensor images, Generator generator)
    {
        using var scope = NewDisposeScope();
        var flip = (rand(images.shape[0], generator: generator) < 0.5).reshape(-1, 1, 1, 1);
        return where(flip, images.flip(3), images).MoveToOuterDisposeScope();
    }

    public static Dictionary<string, byte[]> StateBytes(nn.Module module) =>
        module.state_dict().ToDictionary(e => e.Key, e => e.Value.cpu().contiguous().bytes.ToArray());
}
