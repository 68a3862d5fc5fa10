using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.Metrics;
using SonoSynth.Models;
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
        var path = folder.PathOf("r18" + ModelBundle.Extension);
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

    /// <summary>A finished run's metadata and weights, as RegimeRunner leaves them (train-settings.json only if given).</summary>
    private static string WriteRun(TempFolder folder, ImageClassifier model, RunSettings? settings, string? architecture)
    {
        var run = new RunFolder(folder.PathOf("run"));
        var phase = run.PhaseFolder("real");
        Directory.CreateDirectory(phase);
        ImageClassifierTrainer.SaveWeights(model, Path.Combine(phase, ImageClassifierTrainer.SelectedWeightsFile));
        if (settings is not null) run.PinSettings(settings, resume: false);
        run.WriteSummary(new RegimeSummary("real-only", architecture, architecture is null ? null : 32, 0,
            Path.Combine("real", ImageClassifierTrainer.SelectedWeightsFile), 1, []));
        new PredictionTable(InferenceFixtures.ThreeClasses, [new PredictionRow("a.png", 0, 0, [0.5f, 0.3f, 0.2f])]).Write(run.PredictionsPath);
        return run.Folder;
    }

    private static void AssertSameOutputs(ImageClassifier expectedModel, ModelBundle bundle)
    {
        using var input = rand(2, 1, 32, 32, generator: new Generator(3));
        using var noGrad = no_grad();
        using var expected = expectedModel.call(input);
        using var actual = bundle.Model.call(input);
        Assert.True(Same(expected, actual));
    }

    [Fact]
    public void RunFolderLoadsWithItsPredictionWeightsAndClasses()
    {
        using var folder = new TempFolder();
        using var model = InferenceFixtures.Resnet18(2);
        var settings = new RunSettings("resnet18", "/data", null, TrainingRegime.RealOnly, 3, 3, 8, 1e-4, "paper", "none",
            SplitKind.Random, 0.2, 0.1, 32, 0, 0);
        // regime.json without the architecture, as before it was recorded: train-settings.json names it.
        var run = WriteRun(folder, model, settings, architecture: null);

        using var bundle = TrainedModel.Load(run);
        Assert.Equal(InferenceFixtures.ThreeClasses, bundle.ClassNames);
        Assert.Equal("real-only", bundle.Info.Provenance.Details["regime"]);
        Assert.Equal("/data", bundle.Info.Provenance.Details["data"]);
        AssertSameOutputs(model, bundle);
    }

    [Fact]
    public void ExperimentCellLoadsWithTheModelItsRegimeJsonNames()
    {
        using var folder = new TempFolder();
        using var model = InferenceFixtures.Resnet18(4);
        var cell = WriteRun(folder, model, settings: null, architecture: "resnet18");

        using var bundle = TrainedModel.Load(cell);
        Assert.Equal(("resnet18", 32), (bundle.Info.Architecture, bundle.Info.ImageSize));
        Assert.Equal(InferenceFixtures.ThreeClasses, bundle.ClassNames);
        AssertSameOutputs(model, bundle);
    }

    [Fact]
    public void UnfinishedRunAndForeignFileAreClearErrors()
    {
        using var folder = new TempFolder();
        var run = folder.PathOf("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.SettingsFile), "{}");
        var error = Assert.Throws<InputError>(() => TrainedModel.Load(run));
        Assert.Contains("--resume", error.Message);

        var junk = folder.PathOf("model.sonomodel");
        File.WriteAllText(junk, "hello");
        error = Assert.Throws<InputError>(() => TrainedModel.Load(junk));
        Assert.Contains("model.sonomodel", error.Message);
    }
}
