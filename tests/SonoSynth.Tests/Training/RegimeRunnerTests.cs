using SonoSynth.Data;
using SonoSynth.Metrics;
using SonoSynth.Training;

namespace SonoSynth.Tests.Training;

public class RegimeRunnerTests
{
    [Fact]
    public void PretrainLastLayerRunsBothPhasesWritesPredictionsAndSkipsFinishedPhasesOnRerun()
    {
        using var real = StripeImages.Make(10, seed: 20);
        using var test = StripeImages.Make(4, seed: 21, prefix: "test");
        using var validation = StripeImages.Make(3, seed: 22, prefix: "val");
        using var synthetic = StripeImages.Make(10, seed: 23, prefix: "syn");
        using var folder = new TempFolder();
        var config = new TrainingConfig(Epochs: 1, BatchSize: 8, LearningRate: 3e-3, Seed: 1);
        var runner = new RegimeRunner(new RegimeSettings(TrainingRegime.PretrainLastLayer, config, config with { Seed = 2 }, ModelSeed: 3));
        var data = new RegimeData(real, test, validation, synthetic);

        var result = runner.Run(() => new TinyTestCnn(new(1, 3, 16)), data, folder.Path);

        Assert.Equal(["pretrain", "lastlayer"], result.Phases.Select(p => p.Phase));
        Assert.True(File.Exists(Path.Combine(folder.Path, "pretrain", ClassifierTrainer.FinalWeightsFile)));
        Assert.EndsWith(ClassifierTrainer.SelectedWeightsFile, result.PredictionWeights);
        var written = PredictionTable.Read(result.PredictionsPath);
        Assert.Equal(test.Count, written.Count);
        Assert.Equal(test.Ids, written.Rows.Select(r => r.Image));
        Assert.StartsWith("image,true,pred,p_horizontal_stripes,p_vertical_stripes,p_checkerboard", File.ReadLines(result.PredictionsPath).First());

        var pretrainCheckpoint = Path.Combine(folder.Path, "pretrain", ClassifierTrainer.CheckpointFile);
        var stamp = File.GetLastWriteTimeUtc(pretrainCheckpoint);
        var again = runner.Run(() => new TinyTestCnn(new(1, 3, 16)), data, folder.Path, resume: true);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(pretrainCheckpoint));
        Assert.Equal(written.PredictedLabels, PredictionTable.Read(again.PredictionsPath).PredictedLabels);
    }

    [Fact]
    public void RegimesNeedingSyntheticImagesSayWhatIsMissing()
    {
        using var real = StripeImages.Make(2, seed: 24);
        using var folder = new TempFolder();
        var runner = new RegimeRunner(new RegimeSettings(TrainingRegime.Mixed, TrainingConfig.CpuSmoke, TrainingConfig.CpuSmoke));
        var error = Assert.Throws<InputError>(() => runner.Run(() => new TinyTestCnn(new(1, 3, 16)), new RegimeData(real, real), folder.Path));
        Assert.Contains("--synthetic", error.Message);
    }

    [Fact]
    public void RegimeNamesRoundTrip()
    {
        foreach (var regime in Enum.GetValues<TrainingRegime>())
            Assert.Equal(regime, TrainingRegimes.Parse(regime.Name()));
        Assert.Throws<ArgumentException>(() => TrainingRegimes.Parse("pretrain"));
    }

    [Fact]
    public void ValidationSplitKeepsPatientsTogetherAndNeverTouchesOtherRows()
    {
        var trainRows = Enumerable.Range(0, 40).Where(r => r % 5 != 0).ToArray();
        var patients = Enumerable.Range(0, 40).Select(r => r / 4).ToArray();
        var (train, validation) = ValidationSplit.Carve(trainRows, 0.25, seed: 3, patients);
        Assert.Equal(trainRows.Order(), train.Concat(validation).Order());
        Assert.Empty(train.Select(r => patients[r]).Intersect(validation.Select(r => patients[r])));
        Assert.NotEmpty(validation);
    }
}
