using System.Text.Json;
using SonoSynth.Cli.Commands.Classify;
using SonoSynth.Imaging;
using SonoSynth.Interop;
using SonoSynth.Models;
using SonoSynth.Tests.Data;
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
}
