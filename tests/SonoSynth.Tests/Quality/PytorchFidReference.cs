using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SonoSynth.Quality.Inception;
using SonoSynth.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

/// <summary>
/// The closed forms of scripts/reference/pytorch_fid_reference.py, computed bit for bit as the script computes them, and
/// the numbers it got from pytorch-fid's own code (Fixtures/PytorchFid/expected.json, pool3.npz, the JPEG folders).
/// </summary>
internal static class PytorchFidReference
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PytorchFid");

    public static JsonElement Expected()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        return json.RootElement.Clone();
    }

    private static uint Fnv1a(string text)
    {
        uint h = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text)) h = unchecked((h ^ b) * 16777619);
        return h;
    }

    private static uint Mix(uint x)
    {
        x ^= x >> 16;
        x = unchecked(x * 0x45D9F3Bu);
        return x ^ (x >> 16);
    }

    /// <summary>Element j of tensor <paramref name="name"/>: Mix(fnv1a(name) + j·2654435761 mod 2³²) / 2³¹ − 1, in [−1, 1).</summary>
    private static double Uniform(uint nameHash, long j) => Mix(unchecked(nameHash + (uint)j * 2654435761u)) / 4294967296.0 * 2 - 1;

    /// <summary>Fills every tensor of a pytorch-fid-layout Inception with the script's closed-form weights.</summary>
    public static void FillClosedForm(InceptionV3 model)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (name.EndsWith("num_batches_tracked", StringComparison.Ordinal)) { tensor.zero_(); continue; }
            uint hash = Fnv1a(name);
            long count = tensor.numel();
            double convScale = Math.Sqrt(6.0 / (count / tensor.shape[0]));
            var values = new float[count];
            for (long j = 0; j < count; j++)
            {
                double v = Uniform(hash, j);
                values[j] = (float)(name.EndsWith("conv.weight", StringComparison.Ordinal) ? v * convScale
                    : name.EndsWith("bn.weight", StringComparison.Ordinal) ? 1 + 0.1 * v
                    : name.EndsWith("bn.running_var", StringComparison.Ordinal) ? 1 + 0.25 * (v + 1)
                    : name.EndsWith("bn.bias", StringComparison.Ordinal) || name.EndsWith("bn.running_mean", StringComparison.Ordinal) ? 0.1 * v
                    : 0.01 * v);
            }
            // Named temporaries: an unnamed argument can be finalized by the GC while the native copy still reads it.
            using var source = torch.tensor(values);
            using var shaped = source.reshape(tensor.shape);
            tensor.copy_(shaped);
        }
    }

    /// <summary>The script's test_image: uint8 [height, width, channels], row-major, channels interleaved.</summary>
    public static byte[] TestImage(int kindSeed, int index, int height, int width, int channels, int block, int offset)
    {
        var pixels = new byte[height * width * channels];
        uint seed = unchecked((uint)((kindSeed * 1000003L + index * 7919L) & 0xFFFFFFFF));
        for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
        for (int c = 0; c < channels; c++)
        {
            uint key = unchecked(seed + (uint)(y / block) * 131u + (uint)(x / block) * 31u + (uint)c * 17u);
            long value = (Mix(key) & 255) * 3L;
            long ramp = (x + y + index * 13L) * 255 / (width + height + 13 * 64);
            pixels[(y * width + x) * channels + c] = (byte)Math.Min(255, (value + ramp) / 4 + offset);
        }
        return pixels;
    }

    /// <summary>Writes the PNG folder of a kind's side as the script does (PIL would store the same pixels); returns the pixels' SHA-256.</summary>
    public static string WritePngFolder(string folder, JsonElement kind, int seed, int block, int offset, int count)
    {
        int height = kind.GetProperty("height").GetInt32(), width = kind.GetProperty("width").GetInt32();
        int channels = kind.GetProperty("channels").GetInt32();
        Directory.CreateDirectory(folder);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int index = 0; index < count; index++)
        {
            var pixels = TestImage(seed, index, height, width, channels, block, offset);
            digest.AppendData(pixels);
            File.WriteAllBytes(Path.Combine(folder, $"{index:D3}.png"),
                RawPng.Encode(width, height, channels == 1 ? RawPng.Gray : RawPng.Rgb, 8, pixels.Select(p => (int)p).ToArray()));
        }
        return Convert.ToHexStringLower(digest.GetHashAndReset());
    }
}
