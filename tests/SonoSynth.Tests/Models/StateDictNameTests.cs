using SonoSynth.Models;

namespace SonoSynth.Tests.Models;

/// <summary>State-dict keys and shapes as torchvision / MedMamba.py name them, so weights map one-to-one.</summary>
public class StateDictNameTests
{
    [Theory]
    [InlineData("resnet50", "conv1.weight", new long[] { 64, 3, 7, 7 })]
    [InlineData("resnet50", "layer1.0.bn1.running_mean", new long[] { 64 })]
    [InlineData("resnet50", "layer3.0.downsample.0.weight", new long[] { 1024, 512, 1, 1 })]
    [InlineData("resnet50", "layer4.2.bn3.running_var", new long[] { 2048 })]
    [InlineData("resnet50", "fc.weight", new long[] { 1000, 2048 })]
    [InlineData("densenet169", "features.conv0.weight", new long[] { 64, 3, 7, 7 })]
    [InlineData("densenet169", "features.denseblock1.denselayer1.norm1.weight", new long[] { 64 })]
    [InlineData("densenet169", "features.denseblock4.denselayer32.conv2.weight", new long[] { 32, 128, 3, 3 })]
    [InlineData("densenet169", "features.transition3.conv.weight", new long[] { 640, 1280, 1, 1 })]
    [InlineData("densenet169", "features.norm5.running_var", new long[] { 1664 })]
    [InlineData("densenet169", "classifier.weight", new long[] { 1000, 1664 })]
    [InlineData("vit_b_32", "conv_proj.weight", new long[] { 768, 3, 32, 32 })]
    [InlineData("vit_b_32", "class_token", new long[] { 1, 1, 768 })]
    [InlineData("vit_b_32", "encoder.pos_embedding", new long[] { 1, 50, 768 })]
    [InlineData("vit_b_32", "encoder.layers.encoder_layer_0.self_attention.in_proj_weight", new long[] { 2304, 768 })]
    [InlineData("vit_b_32", "encoder.layers.encoder_layer_0.self_attention.out_proj.bias", new long[] { 768 })]
    [InlineData("vit_b_32", "encoder.layers.encoder_layer_11.mlp.3.weight", new long[] { 768, 3072 })]
    [InlineData("vit_b_32", "encoder.ln.weight", new long[] { 768 })]
    [InlineData("vit_b_32", "heads.head.weight", new long[] { 1000, 768 })]
    [InlineData("swin_t", "features.0.0.weight", new long[] { 96, 3, 4, 4 })]
    [InlineData("swin_t", "features.0.2.bias", new long[] { 96 })]
    [InlineData("swin_t", "features.1.1.attn.qkv.weight", new long[] { 288, 96 })]
    [InlineData("swin_t", "features.2.reduction.weight", new long[] { 192, 384 })]
    [InlineData("swin_t", "features.5.5.mlp.3.weight", new long[] { 384, 1536 })]
    [InlineData("swin_t", "features.7.1.attn.relative_position_bias_table", new long[] { 169, 24 })]
    [InlineData("swin_t", "features.7.1.attn.relative_position_index", new long[] { 2401 })]
    [InlineData("swin_t", "norm.weight", new long[] { 768 })]
    [InlineData("swin_t", "head.weight", new long[] { 1000, 768 })]
    [InlineData("medmamba_t", "patch_embed.proj.weight", new long[] { 96, 3, 4, 4 })]
    [InlineData("medmamba_t", "layers.0.blocks.0.self_attention.x_proj_weight", new long[] { 4, 35, 96 })]
    [InlineData("medmamba_t", "layers.0.blocks.0.self_attention.A_logs", new long[] { 384, 16 })]
    [InlineData("medmamba_t", "layers.2.blocks.3.conv33conv33conv11.7.weight", new long[] { 192, 192, 1, 1 })]
    [InlineData("medmamba_t", "layers.2.downsample.reduction.weight", new long[] { 768, 1536 })]
    [InlineData("medmamba_t", "head.weight", new long[] { 1000, 768 })]
    public void KeyHasTorchvisionNameAndShape(string name, string key, long[] shape)
    {
        var shapes = ImageNetShapes.Of(name).StateDictShapes;
        Assert.True(shapes.ContainsKey(key), $"{name} has no '{key}'");
        Assert.Equal(shape, shapes[key]);
    }

    [Theory]
    [InlineData("resnet50", "fc")]
    [InlineData("densenet169", "classifier")]
    [InlineData("vit_b_32", "heads.head")]
    [InlineData("swin_t", "head")]
    [InlineData("medmamba_t", "head")]
    public void HeadNameIsTheStateDictPrefixOfTheHeadParameters(string name, string head)
    {
        using var model = ClassifierRegistry.Create(name, new ClassifierConfig(1, 6, 128));
        Assert.Equal(head, model.HeadName);
        var headKeys = model.named_parameters().Where(p => p.name.StartsWith(head + ".")).Select(p => p.parameter.Handle);
        Assert.Equal(headKeys.OrderBy(h => h), model.HeadParameters().Select(p => p.Handle).OrderBy(h => h));
    }
}
