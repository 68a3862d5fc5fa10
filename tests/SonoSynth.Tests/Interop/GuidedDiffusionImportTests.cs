using SonoSynth.Cli;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Interop;
using SonoSynth.Tests.Data;
using SonoSynth.Tests.Diffusion;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Interop;

/// <summary>
/// guided-diffusion checkpoints (small ones saved by guided-diffusion itself, Fixtures/GuidedDiffusion) through the CLI:
/// sampled with classifier guidance straight from the .pt files and their flags, imported, refused with the keys named
/// when the flags do not fit, and adapted to gray for fine-tuning.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class GuidedDiffusionImportTests
{
    private static (int ExitCode, string Output) RunCli(params string[] args)
    {
        var result = InProcessCli.Run(args);
        return (result.ExitCode, result.All);
    }

    // unet-half-mult-gray: 16 px, 1 channel, 6 classes, learned σ, channel_mult 0.5,1 (as the 512 model).
    private static readonly string[] UNetFlags =
    [
        "--preset", "cpu-tiny", "--image-size", "16", "--num-channels", "64", "--channel-mult", "0.5,1", "--num-res-blocks", "1",
        "--attention-resolutions", "8", "--num-heads", "2", "--num-head-channels", "-1", "--learn-sigma", "True", "--class-cond", "True",
        "--resblock-updown", "True", "--use-scale-shift-norm", "True", "--use-new-attention-order", "False",
    ];

    // classifier-attention-pool: 16 px, 1 channel, 6 classes, attention pooling with 32-channel heads (the cpu-tiny preset's);
    // channel_mult 1,2, which create_classifier has no flag for at 16 px.
    private static readonly string[] ClassifierFlags =
    [
        "--classifier-preset", "cpu-tiny", "--classifier-width", "32", "--classifier-depth", "1", "--classifier-attention-resolutions", "8",
        "--classifier-channel-mult", "1,2",
        "--classifier-pool", "attention", "--classifier-use-scale-shift-norm", "True", "--classifier-resblock-updown", "True",
    ];

    [Fact]
    public void Guided_diffusion_checkpoints_sample_with_classifier_guidance()
    {
        TinyData.UseOneThread();
        using var folder = new TempFolder();
        var unet = new GuidedDiffusionFixture("unet-half-mult-gray").StateDictPath(folder.Path);
        var classifier = new GuidedDiffusionFixture("classifier-attention-pool").StateDictPath(folder.Path);
        var output = folder.PathOf("samples");

        var (exitCode, text) = RunCli([
            "diffusion", "sample", "--model", unet, .. UNetFlags, "--classifier", classifier, .. ClassifierFlags,
            "--classifier-scale", "1", "--per-class", "1", "--timestep-respacing", "ddim2", "--out", output, "--threads", "1",
        ]);

        Assert.True(exitCode == 0, text);
        var rows = File.ReadAllLines(Path.Combine(output, "manifest.csv")).Skip(1).ToList();
        Assert.Equal(6, rows.Count); // one image for each of the checkpoint's 6 classes
        Assert.All(rows, row => Assert.Contains("classifier s=1", row));
    }

    [Fact]
    public void Import_writes_a_checkpoint_that_samples_and_a_wrong_flag_names_the_keys()
    {
        TinyData.UseOneThread();
        using var folder = new TempFolder();
        var unet = new GuidedDiffusionFixture("unet-half-mult-gray").StateDictPath(folder.Path);

        var (exitCode, text) = RunCli(["diffusion", "import", "--weights", unet, .. UNetFlags, "--out", folder.PathOf("imported")]);
        Assert.True(exitCode == 0, text);
        Assert.Contains("6 classes", text);
        (exitCode, text) = RunCli(["diffusion", "sample", "--model", folder.PathOf("imported", "checkpoint.bin"), "--per-class", "1",
            "--timestep-respacing", "ddim2", "--class", "3", "--out", folder.PathOf("samples"), "--threads", "1"]);
        Assert.True(exitCode == 0, text);
        Assert.Single(File.ReadAllLines(folder.PathOf("samples", "manifest.csv")).Skip(1));

        // Attention at 4 px instead of 8: the file lacks that attention block and has one the network does not.
        var wrong = UNetFlags.Select(f => f == "8" ? "4" : f).ToArray();
        (exitCode, text) = RunCli(["diffusion", "import", "--weights", unet, .. wrong, "--out", folder.PathOf("wrong")]);
        Assert.Equal(2, exitCode);
        Assert.Contains("missing from the file", text);
        Assert.Contains("not in the network", text);
        Assert.Contains("qkv.weight", text);
    }

    [Fact]
    public void Init_from_an_rgb_checkpoint_gives_a_gray_model_that_predicts_the_rgb_models_channel_mean()
    {
        TinyData.UseOneThread();
        // unet-heads4-sigma-cond: RGB in, 6 out (ε and v per RGB channel), 3 classes.
        var fixture = new GuidedDiffusionFixture("unet-heads4-sigma-cond");
        using var folder = new TempFolder();
        var tensors = StateDictFile.Read(fixture.StateDictPath(folder.Path));
        var rgbConfig = fixture.UNetConfig();
        using var rgb = new UNetModel(rgbConfig);
        GuidedDiffusionWeights.LoadStrict(rgb, tensors, fixture.Name);
        using var gray = new UNetModel(rgbConfig with { InChannels = 1 });

        var report = GuidedDiffusionWeights.InitFrom(gray, tensors, fixture.Name);

        Assert.Equal(2, report.Adapted.Count(a => a.StartsWith("out.2.")));
        Assert.Contains(report.Adapted, a => a.StartsWith("input_blocks.0.0.weight"));
        Assert.Empty(report.Fresh);
        rgb.eval();
        gray.eval();
        using var noGrad = no_grad();
        var x = randn(2, 1, 16, 16, generator: new Generator(3));
        var t = tensor(new long[] { 10, 600 });
        var y = tensor(new long[] { 2, 0 });
        // A gray image x through the adapted model = the RGB model on (x, x, x), its ε and v each averaged over RGB.
        var expected = rgb.call(x.expand(-1, 3, -1, -1), t, y).reshape(2, 2, 3, 16, 16).mean([2]);
        var actual = gray.call(x, t, y);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-4, "the adapted gray model does not act as the RGB model on (x, x, x)");

        // Our 6 classes instead of the file's 3: a new class embedding, reported.
        using var sixClasses = new UNetModel(rgbConfig with { InChannels = 1, ClassCount = 6 });
        var newClasses = GuidedDiffusionWeights.InitFrom(sixClasses, tensors, fixture.Name);
        Assert.Contains(newClasses.Fresh, f => f.StartsWith("label_emb.weight"));
        // A file of another architecture is refused with the keys named.
        using var other = new UNetModel(rgbConfig with { InChannels = 1, ModelChannels = 64 });
        var error = Assert.Throws<InputError>(() => GuidedDiffusionWeights.InitFrom(other, tensors, fixture.Name));
        Assert.Contains("time_embed.0.weight", error.Message);
    }
}
