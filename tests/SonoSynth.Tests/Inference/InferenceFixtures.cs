using SonoSynth.Imaging;
using SonoSynth.Models;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Inference;

/// <summary>Small models and image folders shared by the inference tests.</summary>
internal static class InferenceFixtures
{
    public static IReadOnlyList<string> ThreeClasses { get; } = ["Fetal brain", "Fetal femur", "Other"];

    /// <summary>A resnet18 at 32 px with random BatchNorm statistics (so lost buffers would show), in eval mode.</summary>
    public static ImageClassifier Resnet18(long seed, int classes = 3)
    {
        manual_seed(seed);
        var model = ClassifierRegistry.Create("resnet18", new ClassifierConfig(1, classes, 32));
        using (no_grad())
            foreach (var (key, buffer) in model.named_buffers())
                if (key.EndsWith("running_mean")) buffer.copy_(randn_like(buffer) * 0.1);
                else if (key.EndsWith("running_var")) buffer.copy_(rand_like(buffer) + 0.5);
        model.eval();
        return model;
    }

    /// <summary>Writes <paramref name="count"/> gray PNGs of varied sizes with seeded random pixels; returns their paths.</summary>
    public static List<string> WriteScans(string folder, int count, int seed)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(seed);
        var paths = new List<string>();
        for (int i = 0; i < count; i++)
        {
            int width = 40 + 10 * i, height = 36 + 5 * i;
            var pixels = new byte[width * height];
            random.NextBytes(pixels);
            var path = Path.Combine(folder, $"scan{i}.png");
            GrayPng.Save(path, pixels, width, height);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Softmax of the model on a file decoded and resized as training does: the reference for predict.</summary>
    public static float[] DirectProbabilities(ImageClassifier model, string path, int size)
    {
        var pixels = ImageDecoder.DecodeGray(path, DecodePolicy.Training(size)).Pixels;
        using var noGrad = no_grad();
        using var input = tensor(pixels, [1, 1, size, size], ScalarType.Byte).to_type(ScalarType.Float32) / 255f;
        using var probabilities = nn.functional.softmax(model.call(input), 1);
        return probabilities.data<float>().ToArray();
    }
}
