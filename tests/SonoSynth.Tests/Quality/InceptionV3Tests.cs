using SonoSynth.Quality.Inception;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

public class InceptionV3Tests
{
    private static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    [Fact]
    public void TorchvisionVariantHasTorchvisionParameterCount()
    {
        // torchvision.models.inception_v3() (aux head, 1000 classes): 27,161,264 parameters.
        using var model = new InceptionV3(InceptionV3Options.Torchvision);
        Assert.Equal(27_161_264, ParameterCount(model));
    }

    [Fact]
    public void FidVariantHasPytorchFidStateDictLayout()
    {
        using var model = new InceptionV3(InceptionV3Options.Fid);
        // No aux head: 27,161,264 − aux (conv0 768·128+2·128, conv1 128·768·25+2·768, fc 768·1000+1000 = 3,326,696)
        // = 23,834,568; the 1008-class fc adds 8·2048 + 8 = 16,392.
        Assert.Equal(23_850_960, ParameterCount(model));
        var names = model.state_dict().Keys.ToHashSet();
        // Keys as in pytorch-fid's fid_inception_v3() state dict.
        Assert.Contains("Conv2d_1a_3x3.conv.weight", names);
        Assert.Contains("Conv2d_1a_3x3.bn.running_var", names);
        Assert.Contains("Mixed_5b.branch5x5_2.conv.weight", names);
        Assert.Contains("Mixed_6e.branch7x7dbl_5.bn.bias", names);
        Assert.Contains("Mixed_7c.branch3x3dbl_3b.conv.weight", names);
        Assert.Contains("fc.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("AuxLogits"));
        Assert.Equal(new long[] { 1008, 2048 }, model.state_dict()["fc.weight"].shape);
    }

    [Fact]
    public void AverageExcludingPaddingChangesOnlyBorderPixels()
    {
        // Excluding padding from the average changes border pixels only: an all-ones map stays all ones.
        using var allOnes = ones(1, 1, 4, 4);
        using var included = BranchPoolingApply(BranchPooling.Average, allOnes);
        using var excluded = BranchPoolingApply(BranchPooling.AverageExcludingPadding, allOnes);
        Assert.Equal(4.0 / 9.0, included[0, 0, 0, 0].item<float>(), 6);   // corner: 4 of 9 taps are real
        Assert.Equal(1.0, excluded[0, 0, 0, 0].item<float>(), 6);
        Assert.Equal(1.0, included[0, 0, 1, 1].item<float>(), 6);
    }

    private static Tensor BranchPoolingApply(BranchPooling pooling, Tensor x) => pooling.Apply(x);
}
