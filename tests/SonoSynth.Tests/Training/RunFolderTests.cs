using SonoSynth.Data;
using SonoSynth.Training;

namespace SonoSynth.Tests.Training;

/// <summary>
/// <see cref="RunFolder"/> against Fixtures/run-folder: the metadata of a finished run written by 'classify train'
/// before RunFolder existed (Fixtures/make-run-folder.sh), so old run folders keep loading and resuming.
/// </summary>
public class RunFolderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Training", "Fixtures", "run-folder", name);

    private static string CopyOfFixture(TempFolder temp)
    {
        var run = temp.PathOf("run");
        Directory.CreateDirectory(run);
        foreach (var name in new[] { RunFolder.SettingsFile, RunFolder.SummaryFile, RunFolder.PredictionsFile })
            File.Copy(Fixture(name), Path.Combine(run, name));
        return run;
    }

    [Fact]
    public void SettingsWrittenByTheCliLoadTyped()
    {
        using var temp = new TempFolder();
        var settings = new RunFolder(CopyOfFixture(temp)).ReadSettings();

        // The options of make-run-folder.sh.
        Assert.Equal("small_cnn", settings.Architecture);
        Assert.EndsWith("/real", settings.Data);
        Assert.EndsWith("/synthetic", settings.Synthetic);
        Assert.Equal(TrainingRegime.PretrainFinetune, settings.Regime);
        Assert.Equal((2, 1, 8), (settings.Epochs, settings.PretrainEpochs, settings.BatchSize));
        Assert.Equal(0.0003, settings.LearningRate);
        Assert.Equal(("none", "none"), (settings.Augment, settings.PretrainAugment));
        Assert.Equal(SplitKind.Patient, settings.Split);
        Assert.Equal((0.25, 0.25), (settings.TestFraction, settings.ValidationFraction));
        Assert.Equal(16, settings.ImageSize);
        Assert.Equal(5, settings.Seed);
        Assert.Equal(3, settings.SplitSeed);
        Assert.Null(settings.InitFrom);
    }

    [Fact]
    public void SettingsAndSummaryRoundTripToTheSameBytes()
    {
        using var temp = new TempFolder();
        var run = new RunFolder(CopyOfFixture(temp));
        run.PinSettings(run.ReadSettings(), resume: true);
        run.WriteSummary(run.ReadSummary());

        Assert.Equal(File.ReadAllBytes(Fixture(RunFolder.SettingsFile)), File.ReadAllBytes(run.SettingsPath));
        Assert.Equal(File.ReadAllBytes(Fixture(RunFolder.SummaryFile)), File.ReadAllBytes(run.SummaryPath));
    }

    [Fact]
    public void InitFromAndAMissingSplitSeedRoundTrip()
    {
        using var temp = new TempFolder();
        var fixture = new RunFolder(CopyOfFixture(temp)).ReadSettings();
        var withInit = fixture with { InitFrom = "/weights/resnet50.pth" };
        Assert.Equal("init_from", withInit.Entries.Keys.Last());
        Assert.Equal(withInit, RunSettings.FromEntries(withInit.Entries, "test"));

        // Runs from before --split-seed drew their split with --seed.
        var old = RunSettings.FromEntries(fixture.Entries.Where(e => e.Key != "split_seed").ToDictionary(), "old");
        Assert.Null(old.SplitSeed);
        Assert.Equal(5, old.EffectiveSplitSeed);
        Assert.DoesNotContain("split_seed", old.Entries.Keys);
    }

    [Fact]
    public void SummaryNamesThePhasesAndThePredictionWeights()
    {
        using var temp = new TempFolder();
        var folder = CopyOfFixture(temp);
        var run = new RunFolder(folder);
        var summary = run.ReadSummary();

        Assert.Equal("pretrain-finetune", summary.Regime);
        Assert.Null(summary.Architecture); // written before regime.json recorded it
        Assert.Equal(5, summary.ModelSeed);
        Assert.Equal(["pretrain", "finetune"], summary.Phases.Select(p => p.Phase));
        Assert.Equal((1, 2), (summary.Phases[0].Epochs, summary.Phases[1].Epochs));
        Assert.Equal(Path.Combine(folder, "finetune", "selected.weights"), run.PredictionWeightsPath);
        Assert.Equal(summary.PredictionAccuracy, run.ReadPredictions().Accuracy, 12);
        // The fixture keeps no phase folders, so the phases count as unfinished.
        Assert.Null(run.ReadPhaseResults());
        // train-settings.json, not regime.json, names the model of a 'classify train' run.
        Assert.Equal(("small_cnn", 16), run.ReadModelShape());
    }

    [Fact]
    public void ASecondRunIsRefusedAndAResumeWithOtherSettingsNamesThem()
    {
        using var temp = new TempFolder();
        var run = new RunFolder(CopyOfFixture(temp));
        var settings = run.ReadSettings();

        var error = Assert.Throws<InputError>(() => run.PinSettings(settings, resume: false));
        Assert.Contains("--resume", error.Message);
        error = Assert.Throws<InputError>(() => run.PinSettings(settings with { LearningRate = 1e-3, Epochs = 3 }, resume: true));
        Assert.Contains("(epochs, lr)", error.Message);
        Assert.Equal(File.ReadAllBytes(Fixture(RunFolder.SettingsFile)), File.ReadAllBytes(run.SettingsPath));
    }

    [Fact]
    public void AnExperimentCellNamesItsModelInRegimeJson()
    {
        using var temp = new TempFolder();
        var cell = CopyOfFixture(temp);
        File.Delete(Path.Combine(cell, RunFolder.SettingsFile));
        var run = new RunFolder(cell);
        Assert.True(RunFolder.Holds(cell));

        var error = Assert.Throws<InputError>(() => run.ReadModelShape());
        Assert.Contains("architecture", error.Message);
        run.WriteSummary(run.ReadSummary() with { Architecture = "small_cnn", ImageSize = 16 });
        Assert.Equal(("small_cnn", 16), run.ReadModelShape());
        Assert.False(RunFolder.Holds(temp.Path));
    }

    [Fact]
    public void ValidationChosenWeightsWinOverTheBestTestEpoch()
    {
        using var temp = new TempFolder();
        Assert.Equal(Path.Combine(temp.Path, ImageClassifierTrainer.BestTestWeightsFile), RunFolder.ChoosePredictionWeights(temp.Path));
        File.WriteAllText(Path.Combine(temp.Path, ImageClassifierTrainer.SelectedWeightsFile), "");
        Assert.Equal(Path.Combine(temp.Path, ImageClassifierTrainer.SelectedWeightsFile), RunFolder.ChoosePredictionWeights(temp.Path));
    }
}
