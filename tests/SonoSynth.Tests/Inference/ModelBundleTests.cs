using System.Text.Json;
using SonoSynth.Inference;
using SonoSynth.Metrics;
using SonoSynth.Tests.Data;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Inference;

public class ModelBundleTests
{
    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void SavedBundleReloadsTheSameModelWithItsMetadata()
    {
        using var folder = new TempFolder();
        using var model = InferenceFixtures.Resnet18(1);
        var path = folder.Combine("r18" + ModelBundle.Extension);
        ModelBundle.Save(path, model, InferenceFixtures.ThreeClasses, Provenance.Now("test"));

        using var bundle = ModelBundle.Load(path);
        Assert.Equal("resnet18", bundle.Info.Architecture);
        Assert.Equal((1, 3, 32), (bundle.Info.InChannels, bundle.Info.NumClasses, bundle.Info.ImageSize));
        Assert.Equal(InferenceFixtures.ThreeClasses, bundle.ClassNames);
        Assert.Equal(new Preprocessing(true, 32, 255), bundle.Info.Preprocessing);
        Assert.False(bundle.Model.training);
        using var input = rand(2, 1, 32, 32, generator: new Generator(3));
        using var noGrad = no_grad();
        using var expected = model.call(input);
        using var actual = bundle.Model.call(input);
        Assert.True(Same(expected, actual));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void RunFolderLoadsWithItsPredictionWeightsAndClasses()
    {
        using var folder = new TempFolder();
        var run = folder.Combine("run");
        var phase = Path.Combine(run, "real");
        Directory.CreateDirectory(phase);
        using var model = InferenceFixtures.Resnet18(2);
        ImageClassifierTrainer.SaveWeights(model, Path.Combine(phase, ImageClassifierTrainer.SelectedWeightsFile));
        File.WriteAllText(Path.Combine(run, "train-settings.json"), JsonSerializer.Serialize(new Dictionary<string, string>
            { ["arch"] = "resnet18", ["image_size"] = "32", ["regime"] = "real-only", ["seed"] = "0" }));
        File.WriteAllText(Path.Combine(run, RegimeRunner.SummaryFile), JsonSerializer.Serialize(new
            { regime = "real-only", predictionWeights = Path.Combine("real", ImageClassifierTrainer.SelectedWeightsFile) }));
        new PredictionTable(InferenceFixtures.ThreeClasses, [new PredictionRow("a.png", 0, 0, [0.5f, 0.3f, 0.2f])])
            .Write(Path.Combine(run, RegimeRunner.PredictionsFile));

        using var bundle = ModelBundle.Load(run);
        Assert.Equal(InferenceFixtures.ThreeClasses, bundle.ClassNames);
        Assert.Equal("real-only", bundle.Info.Provenance.Details["regime"]);
        using var input = rand(2, 1, 32, 32, generator: new Generator(3));
        using var noGrad = no_grad();
        using var expected = model.call(input);
        using var actual = bundle.Model.call(input);
        Assert.True(Same(expected, actual));
    }

    [Fact]
    public void UnfinishedRunAndForeignFileAreClearErrors()
    {
        using var folder = new TempFolder();
        var run = folder.Combine("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "train-settings.json"), "{}");
        var error = Assert.Throws<InputError>(() => ModelBundle.Load(run));
        Assert.Contains("--resume", error.Message);

        var junk = folder.Combine("model.sonomodel");
        File.WriteAllText(junk, "hello");
        error = Assert.Throws<InputError>(() => ModelBundle.Load(junk));
        Assert.Contains("model.sonomodel", error.Message);
    }
}
