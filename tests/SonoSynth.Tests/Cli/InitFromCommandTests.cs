using System.Text.Json;
using SonoSynth.Cli.Commands.Classify;
using SonoSynth.Cli.Commands.Diffusion;
using SonoSynth.Data.Phantom;
using SonoSynth.Imaging;
using SonoSynth.Interop;
using SonoSynth.Models;
using SonoSynth.Tests.Data;
using SonoSynth.Tests.Diffusion;
using SonoSynth.Tests.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Cli;

[Collection("Console output")]
public class InitFromCommandTests
{
    private static (int Code, string Output) Invoke(params string[] args)
    {
        var result = InProcessCli.Run([TrainCommand.Create(), PredictCommand.Create()], args);
        return (result.ExitCode, result.Output);
    }

    /// <summary>
    /// An ImageNet-shaped (3-channel, 10-class) state dict starts a 2-class gray run; the finished run folder is
    /// then used as is by classify predict.
    /// </summary>
    [Fact]
    public void TrainFromTorchvisionWeightsThenPredictWithTheRunFolder()
    {
        using var folder = new TempFolder();
        var random = new Random(3);
        foreach (var plane in new[] { "Fetal brain", "Other" })
        {
            Directory.CreateDirectory(folder.PathOf("data", plane));
            for (int i = 0; i < 5; i++)
            {
                var pixels = new byte[32 * 32];
                random.NextBytes(pixels);
                GrayPng.Save(folder.PathOf("data", plane, $"{i}.png"), pixels, 32, 32);
            }
        }
        manual_seed(1);
        using (var rgb = ClassifierRegistry.Create("resnet18", new ClassifierConfig(3, 10, 32)))
            StateDictFile.Write(rgb, folder.PathOf("rgb10.pt"));

        var run = folder.PathOf("run");
        var (code, output) = Invoke("train", "--arch", "resnet18", "--data", folder.PathOf("data"), "--epochs", "1", "--image-size", "32",
            "--batch-size", "4", "--val-fraction", "0", "--augment", "none", "--init-from", folder.PathOf("rgb10.pt"), "--out", run);
        Assert.True(code == 0, output);
        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(run, "train-settings.json")))!;
        Assert.Equal(folder.PathOf("rgb10.pt"), settings["init_from"]);

        // The option is really applied: weights of another architecture stop the run with a user error.
        manual_seed(1);
        using (var other = ClassifierRegistry.Create("medmamba_nano", new ClassifierConfig(1, 2, 32)))
            StateDictFile.Write(other, folder.PathOf("medmamba.pt"));
        (code, _) = Invoke("train", "--arch", "resnet18", "--data", folder.PathOf("data"), "--epochs", "1", "--image-size", "32",
            "--batch-size", "4", "--val-fraction", "0", "--augment", "none", "--init-from", folder.PathOf("medmamba.pt"), "--out", folder.PathOf("run2"));
        Assert.Equal(2, code);

        (code, output) = Invoke("predict", "--model", run, folder.PathOf("data"), "--json");
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["Fetal brain", "Other"], json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(10, json.RootElement.GetProperty("predictions").GetArrayLength());
    }

    /// <summary>
    /// diffusion train --init-from with a state dict written by guided-diffusion's own UNetModel (RGB, 3 classes) and its
    /// flags on the command line: the gray, 6-class run starts from it, and initialization.txt says what was adapted.
    /// </summary>
    [Fact]
    public void DiffusionTrainStartsFromAGuidedDiffusionCheckpoint()
    {
        using var folder = new TempFolder();
        var fixture = new GuidedDiffusionFixture("unet-heads4-sigma-cond");
        var weights = fixture.StateDictPath(folder.Path);
        PhantomGenerator.Write(folder.PathOf("data"), new PhantomOptions(PerClass: 2, ImageSize: 16, ImagesPerPatient: 2));
        var run = folder.PathOf("run");

        var result = InProcessCli.Run([DiffusionTrainCommand.Create()], ["train", "--data", folder.PathOf("data"), "--out", run,
            "--init-from", weights, "--image-size", "16", "--num-channels", "32", "--num-res-blocks", "1", "--num-heads", "4",
            "--num-head-channels", "-1", "--attention-resolutions", "8,4", "--channel-mult", "1,2", "--learn-sigma", "true",
            "--resblock-updown", "true", "--use-scale-shift-norm", "true", "--use-new-attention-order", "false", "--dropout", "0",
            "--steps", "1", "--batch-size", "2", "--sample-every", "1000", "--threads", "1"]);

        Assert.True(result.ExitCode == 0, result.Output);
        var lines = File.ReadAllLines(Path.Combine(run, "initialization.txt"));
        Assert.Equal($"--init-from {weights}", lines[0]);
        Assert.Matches(@"^[1-9]\d* tensors loaded unchanged\.$", lines[1]);
        Assert.Contains("adapted: input_blocks.0.0.weight", string.Join("\n", lines));
        Assert.Contains(lines, line => line.StartsWith("adapted: out.2.", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("new: label_emb.weight", StringComparison.Ordinal));
    }
}
