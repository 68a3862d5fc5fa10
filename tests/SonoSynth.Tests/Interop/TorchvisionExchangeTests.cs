using SonoSynth.Interop;
using SonoSynth.Models;
using SonoSynth.Tests.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Interop;

public class TorchvisionExchangeTests
{
    // Random BatchNorm statistics, so a lost buffer would change the eval-mode logits.
    private static ImageClassifier Build(string name, ClassifierConfig options, long seed)
    {
        manual_seed(seed);
        // Narrow instances of the transformer classes: the same module names as vit_b_32 / swin_t, milliseconds to run.
        var model = name switch
        {
            "vit_narrow" => new VisionTransformer("vit_narrow", 8, 2, 2, 32, 64, options),
            "swin_narrow" => new SwinTransformer("swin_narrow", 4, 16, [1, 1], [1, 2], 2, 0.0, options),
            _ => ClassifierRegistry.Create(name, options),
        };
        using (no_grad())
        {
            foreach (var parameter in model.HeadParameters()) parameter.copy_(randn_like(parameter) * 0.1); // ViT's head starts at zero
            foreach (var (key, buffer) in model.named_buffers())
                if (key.EndsWith("running_mean")) buffer.copy_(randn_like(buffer) * 0.1);
                else if (key.EndsWith("running_var")) buffer.copy_(rand_like(buffer) + 0.5);
        }
        model.eval();
        return model;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static Tensor Logits(ImageClassifier model, Tensor input)
    {
        using var noGrad = no_grad();
        return model.call(input);
    }

    [Theory]
    [InlineData("resnet18", 32)]
    [InlineData("medmamba_nano", 32)]
    [InlineData("vit_narrow", 32)]
    [InlineData("swin_narrow", 32)]
    public void ExportedAndReimportedModelGivesBitIdenticalLogits(string name, int size)
    {
        using var folder = new TempFolder();
        var options = new ClassifierConfig(1, 6, size);
        using var original = Build(name, options, 1);
        using var input = rand(2, 1, size, size, generator: new Generator(7));
        using var expected = Logits(original, input);
        var path = folder.PathOf("model.pt");
        StateDictFile.Write(original, path);

        using var reimported = Build(name, options, 2);
        using (var before = Logits(reimported, input)) Assert.False(Same(before, expected)); // a different start
        var report = PretrainedWeights.LoadTorchvision(reimported, path);
        Assert.Empty(report.Adapted);
        Assert.Empty(report.Skipped);
        Assert.Equal(original.state_dict().Count, report.Loaded.Count + report.MissingCounters.Count);
        using var actual = Logits(reimported, input);
        Assert.True(Same(actual, expected), "logits differ after export + import");
    }

    [Fact]
    public void ExportedFileUsesTorchvisionNames()
    {
        using var folder = new TempFolder();
        using var model = Build("resnet18", new ClassifierConfig(1, 6, 32), 1);
        var path = folder.PathOf("model.pt");
        StateDictFile.Write(model, path);
        var tensors = StateDictFile.Read(path);
        try
        {
            Assert.Equal([64, 1, 7, 7], tensors["conv1.weight"].shape);
            Assert.Equal([128, 64, 1, 1], tensors["layer2.0.downsample.0.weight"].shape);
            Assert.Equal([6, 512], tensors["fc.weight"].shape);
            Assert.Contains("layer1.0.bn1.running_mean", tensors.Keys);
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    [Fact]
    public void RgbFirstConvSummedToGrayGivesTheLogitsOfTheReplicatedGrayImage()
    {
        using var folder = new TempFolder();
        using var rgb = Build("resnet18", new ClassifierConfig(3, 6, 32), 3);
        var path = folder.PathOf("rgb.pt");
        StateDictFile.Write(rgb, path);

        using var gray = Build("resnet18", new ClassifierConfig(1, 6, 32), 4);
        var report = PretrainedWeights.LoadTorchvision(gray, path);
        Assert.Equal(["conv1.weight"], report.Adapted);
        using var image = rand(2, 1, 32, 32, generator: new Generator(5));
        using var expected = Logits(rgb, image.expand(-1, 3, -1, -1).contiguous());
        using var actual = Logits(gray, image);
        // conv(x, Σ_c W_c) = Σ_c conv(x, W_c): equal up to float summation order.
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void HeadForAnotherClassCountIsSkippedAndKeepsItsFreshInit()
    {
        using var folder = new TempFolder();
        using var imagenetLike = Build("resnet18", new ClassifierConfig(3, 10, 32), 3);
        var path = folder.PathOf("ten.pt");
        StateDictFile.Write(imagenetLike, path);

        using var target = Build("resnet18", new ClassifierConfig(1, 6, 32), 4);
        using var freshHead = target.state_dict()["fc.weight"].clone();
        var report = PretrainedWeights.LoadTorchvision(target, path);
        Assert.Equal(["fc.weight", "fc.bias"], report.Skipped.Order().Reverse());
        Assert.True(Same(target.state_dict()["fc.weight"], freshHead));
        Assert.True(Same(target.state_dict()["layer4.1.conv2.weight"], imagenetLike.state_dict()["layer4.1.conv2.weight"]));
    }

    [Fact]
    public void AnotherArchitectureIsAClearError()
    {
        using var folder = new TempFolder();
        using var resnet18 = Build("resnet18", new ClassifierConfig(1, 6, 32), 1);
        var path = folder.PathOf("r18.pt");
        StateDictFile.Write(resnet18, path);
        using var medmamba = Build("medmamba_nano", new ClassifierConfig(1, 6, 32), 1);
        var error = Assert.Throws<InputError>(() => PretrainedWeights.LoadTorchvision(medmamba, path));
        Assert.Contains("bn1.bias", error.Message);   // the first of resnet18's keys in ordinal order
        Assert.Contains("--arch", error.Message);
    }

    [Fact]
    public void NotAStateDictIsAClearError()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("junk.pt");
        File.WriteAllText(path, "not a pickle");
        using var model = Build("resnet18", new ClassifierConfig(1, 6, 32), 1);
        var error = Assert.Throws<InputError>(() => PretrainedWeights.LoadTorchvision(model, path));
        Assert.Contains("junk.pt", error.Message);
    }

    [Fact]
    public void VitPositionEmbeddingsAreResampledToAnotherImageSize()
    {
        using var folder = new TempFolder();
        using var large = Build("vit_narrow", new ClassifierConfig(1, 6, 64), 1);   // 8×8 patch grid
        var positions = large.state_dict()["encoder.pos_embedding"];                  // [1, 65, 32]
        using var classRow = randn(1, 1, 32);
        using var gridRow = randn(1, 1, 32);
        using (no_grad())
        {
            positions[.., ..1].copy_(classRow);
            positions[.., 1..].copy_(gridRow.expand(1, 64, 32));   // the same vector everywhere on the grid
        }
        var path = folder.PathOf("vit64.pt");
        StateDictFile.Write(large, path);

        using var small = Build("vit_narrow", new ClassifierConfig(1, 6, 32), 2);   // 4×4 patch grid
        var report = PretrainedWeights.LoadTorchvision(small, path);
        Assert.Equal(["encoder.pos_embedding"], report.Adapted);
        var resampled = small.state_dict()["encoder.pos_embedding"];
        Assert.Equal([1, 17, 32], resampled.shape);
        Assert.True(Same(resampled[.., ..1], classRow));
        // Bicubic weights sum to one, so a constant grid stays that constant.
        Assert.True(resampled[.., 1..].allclose(gridRow.expand(1, 16, 32), rtol: 1e-5, atol: 1e-5));
    }
}
