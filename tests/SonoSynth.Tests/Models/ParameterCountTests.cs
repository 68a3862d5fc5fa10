using SonoSynth.Models;

namespace SonoSynth.Tests.Models;

public class ParameterCountTests
{
    // torchvision's published counts (3 channels, 1000 classes, 224 px), from its weights' meta "num_params".
    [Theory]
    [InlineData("resnet50", 25_557_032)]
    [InlineData("densenet169", 14_149_480)]
    [InlineData("vit_b_32", 88_224_232)]
    [InlineData("swin_t", 28_288_354)]
    [InlineData("resnet18", 11_689_512)]
    public void ImageNetShapeMatchesTorchvision(string name, long expected)
    {
        Assert.Equal(expected, ImageNetShapes.Of(name).ParameterCount);
    }

    // MedMamba.py VSSM(): counted by hand from its layer shapes (d_inner = C, dt_rank = ceil(C/32), d_state 16):
    // 3 ch/1000 classes = 15,221,608; 3 ch/6 classes = 14,457,222; 1 ch/6 classes = 14,454,150.
    [Theory]
    [InlineData(3, 1000, 15_221_608)]
    [InlineData(3, 6, 14_457_222)]
    [InlineData(1, 6, 14_454_150)]
    public void MedMambaTinyMatchesHandCount(int inChannels, int classes, long expected)
    {
        var count = inChannels == 3 && classes == 1000 ? ImageNetShapes.Of("medmamba_t").ParameterCount : CountFresh();
        Assert.Equal(expected, count);

        long CountFresh()
        {
            using var model = ClassifierRegistry.Create("medmamba_t", new ClassifierConfig(inChannels, classes, 128));
            return ClassifierRegistry.CountParameters(model).Total;
        }
    }

    [Fact]
    public void GrayscaleInputChangesOnlyTheFirstLayer()
    {
        // resnet50's conv1 has 64 x C x 7 x 7 weights: going from 3 channels to 1 removes 64*2*49 = 6272.
        // Same classes (1000) as the ImageNet shape, so only conv1 differs.
        using var gray = ClassifierRegistry.Create("resnet50", new ClassifierConfig(1, 1000, 128));
        Assert.Equal(6272, ImageNetShapes.Of("resnet50").ParameterCount - ClassifierRegistry.CountParameters(gray).Total);
    }

    [Fact]
    public void VitPositionEmbeddingIsSizedToTheInput()
    {
        // 128 px / patch 32 = 4x4 patches + class token = 17 positions (a 1-layer, 64-wide ViT for speed).
        using var model = new VisionTransformer("vit_tiny_test", 32, 1, 2, 64, 128, new ClassifierConfig(1, 6, 128));
        Assert.Equal(new long[] { 1, 17, 64 }, model.state_dict()["encoder.pos_embedding"].shape);
        using var scope = TorchSharp.torch.NewDisposeScope();
        Assert.Equal(new long[] { 2, 6 }, model.call(TorchSharp.torch.rand(2, 1, 128, 128)).shape);
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassifierRegistry.Create("resnet5O", new ClassifierConfig()));
        foreach (var name in ClassifierRegistry.PaperNames)
            Assert.Contains(name, error.Message);
    }
}
