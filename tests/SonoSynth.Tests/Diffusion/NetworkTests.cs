using SonoSynth.Diffusion.Networks;
using TorchSharp;
using static TorchSharp.torch;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class NetworkTests
{
    [Fact]
    public void Adm128_with_guided_diffusion_flags_has_its_exact_parameter_count()
    {
        // guided-diffusion 128×128 conditional ImageNet model: 3 channels, 1000 classes, learn_sigma → 421,529,606
        // parameters (the published "about 421.5 M"); the 256 and 64 px shapes give its 554 M and 296 M.
        var config = UNetConfig.Adm128 with { InChannels = 3, ClassCount = 1000, LearnSigma = true };
        Assert.Equal(421_529_606, ParameterCounts.Of(config));
        Assert.Equal(553_838_086, ParameterCounts.Of(config with { ImageSize = 256, ChannelMultipliers = [1, 1, 2, 2, 4, 4] }));
        Assert.Equal(295_904_454, ParameterCounts.Of(config with
        {
            ImageSize = 64, ModelChannels = 192, ResBlocksPerLevel = 3, ChannelMultipliers = [1, 2, 3, 4],
        }));
        // Its 128 px noise-aware classifier (width 128, depth 2, attention pooling, 1000 classes).
        Assert.Equal(42_568_040, ParameterCounts.Of(NoiseClassifierConfig.Classifier128 with { InChannels = 3, ClassCount = 1000 }));
    }

    public static TheoryData<string> SmallUNets => new() { "plain", "cond-sigma", "no-updown", "null-label" };

    [Theory]
    [MemberData(nameof(SmallUNets))]
    public void Parameter_formula_matches_the_built_unet(string variant)
    {
        var config = UNetConfig.CpuTiny with { ImageSize = 16, ClassCount = 0 };
        config = variant switch
        {
            "cond-sigma" => config with { ClassCount = 5, LearnSigma = true, InChannels = 3 },
            "no-updown" => config with { ResBlockUpDown = false, UseScaleShiftNorm = false, ResBlocksPerLevel = 2 },
            "null-label" => config with { ClassCount = 2, NullLabel = true },
            _ => config,
        };
        using var model = new UNetModel(config);
        Assert.Equal(ParameterCounts.Of(config), model.ParameterCount());
    }

    [Fact]
    public void Parameter_formula_matches_the_built_classifier()
    {
        var config = NoiseClassifierConfig.CpuTiny with { ImageSize = 16, ClassCount = 3 };
        using var model = new NoiseAwareClassifier(config);
        Assert.Equal(ParameterCounts.Of(config), model.ParameterCount());
        using var logits = model.call(torch.zeros(2, 1, 16, 16), torch.tensor(new long[] { 0, 999 }));
        Assert.Equal(new long[] { 2, 3 }, logits.shape);
    }

    [Fact]
    public void Unet_names_its_parameters_like_guided_diffusion_and_starts_at_zero_output()
    {
        var config = UNetConfig.CpuTiny with { ImageSize = 16, ClassCount = 3, LearnSigma = true };
        using var model = new UNetModel(config);
        var names = model.state_dict().Keys.ToHashSet();
        foreach (var expected in new[]
                 {
                     "time_embed.0.weight", "time_embed.2.bias", "label_emb.weight", "input_blocks.0.0.weight",
                     "input_blocks.1.0.in_layers.0.weight", "input_blocks.1.0.in_layers.2.weight", "input_blocks.1.0.emb_layers.1.weight",
                     "input_blocks.1.0.out_layers.3.weight", "input_blocks.3.0.skip_connection.weight",
                     "middle_block.1.qkv.weight", "middle_block.1.proj_out.bias", "middle_block.2.out_layers.0.bias",
                     "output_blocks.0.0.skip_connection.weight", "out.0.weight", "out.2.weight",
                 })
            Assert.Contains(expected, names);
        var x = torch.randn(2, 1, 16, 16);
        using var output = model.call(x, torch.tensor(new long[] { 5, 700 }), torch.tensor(new long[] { 0, 2 }));
        Assert.Equal(new long[] { 2, 2, 16, 16 }, output.shape);
        Assert.Equal(0f, output.abs().max().item<float>()); // zero-initialised "out" conv
    }

    [Fact]
    public void Sinusoidal_embedding_matches_the_formula()
    {
        using var embedding = TimestepEmbedding.Sinusoidal(torch.tensor(new long[] { 3 }), 8);
        var values = embedding.data<float>().ToArray();
        for (int k = 0; k < 4; k++)
        {
            double frequency = Math.Exp(-Math.Log(10000) * k / 4);
            Assert.Equal(Math.Cos(3 * frequency), values[k], 5);
            Assert.Equal(Math.Sin(3 * frequency), values[4 + k], 5);
        }
    }

    [Fact]
    public void Legacy_and_new_attention_orders_agree_for_one_head()
    {
        var qkv = torch.randn(2, 3 * 8, 5, generator: new Generator(1));
        using var legacy = new QkvAttention(1, newOrder: false);
        using var modern = new QkvAttention(1, newOrder: true);
        Assert.True(legacy.call(qkv).allclose(modern.call(qkv), atol: 1e-6));
        // One query against identical keys averages the values.
        var q = torch.randn(1, 4, 3); var k = torch.ones(1, 4, 3); var v = torch.randn(1, 4, 3);
        var attended = modern.call(torch.cat([q, k, v], 1));
        Assert.True(attended.allclose(v.mean([-1], keepdim: true).expand(1, 4, 3), atol: 1e-6)); // every query sees equal keys
    }
}

public class SeededInitializationTests
{
    [Fact]
    public void Same_seed_gives_the_same_weights_with_pytorch_default_bounds()
    {
        TinyData.UseOneThread();
        using var a = new UNetModel(TinyData.UNet);
        using var b = new UNetModel(TinyData.UNet);
        SeededInitialization.Apply(a, 9);
        SeededInitialization.Apply(b, 9);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), name);
        var weight = a.state_dict()["input_blocks.0.0.weight"]; // conv 1→32, 3×3: fan_in 9, bound 1/3
        Assert.True(weight.abs().max().item<float>() <= 1 / 3f);
        Assert.True(weight.abs().max().item<float>() > 0.3f);
        Assert.Equal(0f, a.state_dict()["out.2.weight"].abs().max().item<float>()); // zero-initialised layers stay zero
    }
}
