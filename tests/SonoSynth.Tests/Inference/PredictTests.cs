using System.Text.Json;
using SonoSynth.Cli.Commands.Classify;
using SonoSynth.Inference;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Inference;

[Collection("Console output")]
public class PredictTests
{
    private static (int Code, string Output) Invoke(params string[] args)
    {
        var result = InProcessCli.Run([PredictCommand.Create()], args);
        return (result.ExitCode, result.Output);
    }

    [Fact]
    public void PredictorGivesTheModelsSoftmaxOnTrainingPreprocessedFilesAndSkipsCorruptOnes()
    {
        using var folder = new TempFolder();
        var scans = InferenceFixtures.WriteScans(folder.PathOf("scans"), 3, seed: 1);
        File.WriteAllBytes(folder.PathOf("scans", "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var first = InferenceFixtures.Resnet18(1);
        using var second = InferenceFixtures.Resnet18(2);
        ModelBundle.Save(folder.PathOf("a.sonomodel"), first, InferenceFixtures.ThreeClasses);
        ModelBundle.Save(folder.PathOf("b.sonomodel"), second, InferenceFixtures.ThreeClasses);
        using var a = ModelBundle.Load(folder.PathOf("a.sonomodel"));
        using var b = ModelBundle.Load(folder.PathOf("b.sonomodel"));

        var files = ImageFiles.Expand([folder.PathOf("scans")]);
        Assert.Equal(4, files.Count);
        var single = new ImagePredictor([a], batchSize: 2).Predict(files);
        Assert.Equal(["broken.png"], single.Unreadable.Select(u => Path.GetFileName(u.Image)));
        Assert.Equal(scans, single.Predictions.Select(p => p.Image));
        var soft = new ImagePredictor([a, b], EnsembleVote.Soft, batchSize: 2).Predict(files);
        for (int i = 0; i < scans.Count; i++)
        {
            var expectedA = InferenceFixtures.DirectProbabilities(first, scans[i], 32);
            var expectedB = InferenceFixtures.DirectProbabilities(second, scans[i], 32);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(expectedA[c], single.Predictions[i].Probabilities[c], 5);
                Assert.Equal((expectedA[c] + expectedB[c]) / 2, soft.Predictions[i].Probabilities[c], 5);
            }
            Assert.Equal(Array.IndexOf(expectedA, expectedA.Max()), single.Predictions[i].Predicted);
        }
    }

    [Fact]
    public void PredictCommandListsTheCorruptFileAndWritesTheRestWithHeatMaps()
    {
        using var folder = new TempFolder();
        var scans = InferenceFixtures.WriteScans(folder.PathOf("scans", "day1"), 3, seed: 2);
        File.WriteAllText(folder.PathOf("scans", "day1", "notes.png"), "this is not an image");
        using var model = InferenceFixtures.Resnet18(3);
        var modelPath = folder.PathOf("r18.sonomodel");
        ModelBundle.Save(modelPath, model, InferenceFixtures.ThreeClasses);
        var csv = folder.PathOf("out", "predictions.csv");
        Directory.CreateDirectory(folder.PathOf("out"));
        var heatmaps = folder.PathOf("heatmaps");

        var (code, output) = Invoke("predict", "--model", modelPath, folder.PathOf("scans"), "--out", csv, "--json", "--explain", heatmaps, "--batch-size", "2");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var unreadable = json.RootElement.GetProperty("unreadable");
        Assert.Equal(1, unreadable.GetArrayLength());
        Assert.EndsWith("notes.png", unreadable[0].GetProperty("image").GetString());
        Assert.Contains("not a readable PNG or JPEG", unreadable[0].GetProperty("reason").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("predictions").GetArrayLength());

        var lines = File.ReadAllLines(csv);
        Assert.Equal("image,pred,p_fetal_brain,p_fetal_femur,p_other", lines[0]);
        Assert.Equal(4, lines.Length);
        var fields = Csv.Split(lines[1])!;
        Assert.Equal(scans[0], fields[0]);
        Assert.Equal(1.0, fields.Skip(2).Sum(double.Parse), 5);

        var overlays = Directory.GetFiles(heatmaps).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["scan0.gradcam.png", "scan1.gradcam.png", "scan2.gradcam.png"], overlays);
        // The overlay has the scan's own size (scan1 is 50x41).
        var (_, width, height) = SonoSynth.Imaging.ImageDecoder.DecodeGray(Path.Combine(heatmaps, "scan1.gradcam.png"), SonoSynth.Imaging.DecodePolicy.NativeGray);
        Assert.Equal((50, 41), (width, height));
    }

    [Fact]
    public void MissingInputIsAnInputErrorWithExitCodeTwo()
    {
        using var folder = new TempFolder();
        using var model = InferenceFixtures.Resnet18(3);
        var modelPath = folder.PathOf("r18.sonomodel");
        ModelBundle.Save(modelPath, model, InferenceFixtures.ThreeClasses);
        var (code, output) = Invoke("predict", "--model", modelPath, folder.PathOf("nowhere"));
        Assert.Equal(2, code);
        Assert.Contains("nowhere", output);
    }
}
