using SonoSynth.Inference;
using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Inference;

public class GradCamTests
{
    // Tiny instances of each architecture family (same classes, fewer/narrower layers) keep the test fast.
    public static TheoryData<string> Families => new() { "resnet", "densenet", "vit", "swin", "medmamba" };

    private static ImageClassifier Tiny(string family)
    {
        manual_seed(11);
        var options = new ClassifierConfig(1, 3, 64);
        ImageClassifier model = family switch
        {
            "resnet" => new ResNet("resnet_tiny", new BasicBlock.Kind(), [1, 1, 1, 1], options),
            "densenet" => new DenseNet("densenet_tiny", 8, [2, 2], 16, 2, options),
            "vit" => new VisionTransformer("vit_tiny", 8, 2, 2, 32, 64, options),
            "swin" => new SwinTransformer("swin_tiny", 4, 16, [1, 1], [1, 2], 2, 0.0, options),
            "medmamba" => ClassifierRegistry.Create("medmamba_nano", options),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
        model.eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void SplitReproducesTheModelsLogits(string family)
    {
        using var model = Tiny(family);
        using var input = rand(2, 1, 64, 64, generator: new Generator(1));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var split = model.GradCamTarget().Split(input);
        Assert.Equal(4, split.Activations.dim());
        Assert.True(split.Activations.shape[2] > 1 && split.Activations.shape[3] > 1, "the map must be spatial");
        var expected = model.call(input);
        var actual = split.LogitsFrom(split.Activations);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void MapsAreInputSizedAndScaledToOne(string family)
    {
        using var model = Tiny(family);
        using var input = rand(2, 1, 64, 64, generator: new Generator(2));
        using var cam = GradCam.Compute(model, input);
        Assert.Equal([2, 64, 64], cam.shape);
        Assert.True(cam.min().item<float>() >= 0);
        Assert.True(cam.max().item<float>() <= 1.0001f);
    }

    /// <summary>
    /// Known answer: every image has a bright square in the bottom-right quadrant (no information) and a patch in
    /// the top-left quadrant: flat gray for class 0, stripes of the same mean brightness for class 1. A trained CNN's Grad-CAM for class 1 must sit in the top-left.
    /// A narrow DenseNet keeps it fast and gives an 8×8 map at 64 px.
    /// </summary>
    [Fact]
    public void TrainedCnnLooksAtTheQuadrantThatCarriesTheClass()
    {
        const int size = 64, batch = 16;
        manual_seed(5);
        using var model = new DenseNet("densenet_quadrant", 8, [2, 2], 16, 2, new ClassifierConfig(1, 2, size));
        var rng = new Generator(9);
        (Tensor Images, Tensor Labels) Batch(int count)
        {
            var images = rand(count, 1, size, size, generator: rng) * 0.3f;
            var labels = arange(count, dtype: ScalarType.Int64) % 2;
            var offsets = randint(4, 24, [count, 4], generator: rng).data<long>().ToArray();
            for (int i = 0; i < count; i++)
            {
                long y = 32 + offsets[4 * i], x = 32 + offsets[4 * i + 1];
                images[i, 0, TensorIndex.Slice(y, y + 8), TensorIndex.Slice(x, x + 8)] = 1f;
                long ty = offsets[4 * i + 2], tx = offsets[4 * i + 3];
                var patch = images[i, 0, TensorIndex.Slice(ty, ty + 8), TensorIndex.Slice(tx, tx + 8)];
                patch.fill_(0.65f);
                if (i % 2 == 1) patch[TensorIndex.Slice(0, 8, 2)] = 1f;      // stripes of 1.0 and 0.3 rows:
                if (i % 2 == 1) patch[TensorIndex.Slice(1, 8, 2)] = 0.3f;    // mean 0.65, as class 0
            }
            return (images, labels);
        }

        var optimizer = optim.Adam(model.parameters(), 3e-3);
        model.train();
        for (int step = 0; step < 60; step++)
        {
            using var scope = NewDisposeScope();
            var (images, labels) = Batch(batch);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(images), labels).backward();
            optimizer.step();
        }
        model.eval();

        using var testScope = NewDisposeScope();
        var (testImages, testLabels) = Batch(16);
        using (no_grad())
        {
            var accuracy = model.call(testImages).argmax(1).eq(testLabels).to_type(ScalarType.Float32).mean().item<float>();
            Assert.True(accuracy >= 0.9f, $"precondition: the CNN learned the task (accuracy {accuracy:P0})");
        }
        var classOne = testImages[TensorIndex.Slice(1, null, 2)];
        var cam = GradCam.Compute(model, classOne, Enumerable.Repeat(1L, (int)classOne.shape[0]).ToArray());
        var total = cam.sum([1, 2]);
        var topLeft = cam[.., ..32, ..32].sum([1, 2]) / total;
        var bottomRight = cam[.., 32.., 32..].sum([1, 2]) / total;
        Assert.True(topLeft.mean().item<float>() > 0.5f, $"top-left share {topLeft.mean().item<float>():F2}");
        Assert.True(topLeft.mean().item<float>() > 2 * bottomRight.mean().item<float>(),
            $"top-left {topLeft.mean().item<float>():F2} vs distractor {bottomRight.mean().item<float>():F2}");
    }

    [Fact]
    public void JetRunsFromBlueToRed()
    {
        Assert.Equal((0.0, 0.0, 127.5), HeatmapOverlay.Jet(0));
        Assert.Equal((127.5, 0.0, 0.0), HeatmapOverlay.Jet(1));
        Assert.Equal((127.5, 255.0, 127.5), HeatmapOverlay.Jet(0.5));
    }
}
