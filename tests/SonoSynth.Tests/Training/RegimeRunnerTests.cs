using SonoSynth.Data;
using SonoSynth.Inference;
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
        var config = new ImageClassifierTrainingOptions(Epochs: 1, BatchSize: 8, LearningRate: 3e-3, Seed: 1);
        var runner = new RegimeRunner(new RegimeSettings(TrainingRegime.PretrainLastLayer, config, config with { Seed = 2 }, ModelSeed: 3));
        var data = new RegimeData(real, test, validation, synthetic);

        var result = runner.Run(() => new TinyTestCnn(new(1, 3, 16)), data, folder.Path);

        Assert.Equal(["pretrain", "lastlayer"], result.Phases.Select(p => p.Phase));
        Assert.True(File.Exists(Path.Combine(folder.Path, "pretrain", ImageClassifierTrainer.FinalWeightsFile)));
        Assert.EndsWith(ImageClassifierTrainer.SelectedWeightsFile, result.PredictionWeights);
        var summary = new RunFolder(folder.Path).ReadSummary();
        Assert.Equal(("tiny_test_cnn", 16), (summary.Architecture, summary.ImageSize));
        Assert.Equal(["pretrain", "lastlayer"], summary.Phases.Select(p => p.Phase));
        var written = PredictionTable.Read(result.PredictionsPath);
        Assert.Equal(test.Count, written.Count);
        Assert.Equal(test.Ids, written.Rows.Select(r => r.Image));
        Assert.StartsWith("image,true,pred,p_horizontal_stripes,p_vertical_stripes,p_checkerboard", File.ReadLines(result.PredictionsPath).First());

        var pretrainCheckpoint = Path.Combine(folder.Path, "pretrain", ImageClassifierTrainer.CheckpointFile);
        var stamp = File.GetLastWriteTimeUtc(pretrainCheckpoint);
        var again = runner.Run(() => new TinyTestCnn(new(1, 3, 16)), data, folder.Path, resume: true);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(pretrainCheckpoint));
        Assert.Equal(written.PredictedLabels, PredictionTable.Read(again.PredictionsPath).PredictedLabels);
    }

    [Fact]
    public void SyntheticOnlyAndMixedLearnFromTheImagesTheirRegimeNames()
    {
        // Real training images show only stripes (classes 0 and 1), synthetic ones only checkerboards (class 2), so
        // what a model predicts on the test set shows which images it was trained on.
        using var realAll = StripeImages.Make(40, seed: 30);
        using var realStripes = realAll.Subset(Rows(realAll, label => label != 2));
        using var syntheticAll = StripeImages.Make(40, seed: 31, prefix: "syn");
        using var syntheticCheckerboards = syntheticAll.Subset(Rows(syntheticAll, label => label == 2));
        using var test = StripeImages.Make(12, seed: 32, prefix: "test");
        using var folder = new TempFolder();
        var finetune = new ImageClassifierTrainingOptions(Epochs: 6, BatchSize: 16, LearningRate: 5e-3, Seed: 1);
        var pretrain = finetune with { Epochs = 4, Seed = 2 };
        var data = new RegimeData(realStripes, test, Validation: null, Synthetic: syntheticCheckerboards);

        (RegimeResult Result, double CheckerboardRecall, double StripeRecall) Train(TrainingRegime regime)
        {
            var output = folder.PathOf(regime.Name());
            var result = new RegimeRunner(new RegimeSettings(regime, finetune, pretrain, ModelSeed: 3))
                .Run(() => new TinyTestCnn(new(1, 3, 16)), data, output);
            // The phase's final weights, not an epoch chosen on the test set.
            using var model = new TinyTestCnn(new(1, 3, 16));
            ImageClassifierTrainer.LoadWeights(model, Path.Combine(output, result.Phases[^1].Phase, ImageClassifierTrainer.FinalWeightsFile));
            var rows = ModelPredictor.Predict(model, test).Rows;
            double Recall(Func<int, bool> classes) =>
                rows.Where(r => classes(r.True)).Count(r => r.Predicted == r.True) / (double)rows.Count(r => classes(r.True));
            return (result, Recall(c => c == 2), Recall(c => c != 2));
        }

        var realOnly = Train(TrainingRegime.RealOnly);
        var syntheticOnly = Train(TrainingRegime.SyntheticOnly);
        var mixed = Train(TrainingRegime.Mixed);

        // synthetic-only: one phase on the synthetic images, with the synthetic (pretraining) settings.
        Assert.Equal(["synthetic"], syntheticOnly.Result.Phases.Select(p => p.Phase));
        Assert.Equal(pretrain.Epochs, syntheticOnly.Result.Phases[0].Result.Epochs);
        // mixed: one phase on real and synthetic images together, with the real-data settings.
        Assert.Equal(["mixed"], mixed.Result.Phases.Select(p => p.Phase));
        Assert.Equal(finetune.Epochs, mixed.Result.Phases[0].Result.Epochs);

        var recalls = $"checkerboard/stripe recall: real-only {realOnly.CheckerboardRecall}/{realOnly.StripeRecall}, " +
            $"synthetic-only {syntheticOnly.CheckerboardRecall}/{syntheticOnly.StripeRecall}, mixed {mixed.CheckerboardRecall}/{mixed.StripeRecall}";
        Assert.True(realOnly.CheckerboardRecall <= 0.1 && realOnly.StripeRecall >= 0.7, recalls);       // never saw a checkerboard
        Assert.True(syntheticOnly.CheckerboardRecall >= 0.9 && syntheticOnly.StripeRecall <= 0.1, recalls); // saw only checkerboards
        Assert.True(mixed.CheckerboardRecall >= 0.7 && mixed.StripeRecall >= 0.7, recalls);             // saw both
        Assert.Equal(test.Count, PredictionTable.Read(mixed.Result.PredictionsPath).Count);
    }

    private static int[] Rows(LabelledImages images, Func<long, bool> keep) =>
        Enumerable.Range(0, images.Count).Where(i => keep(images.Labels[i])).ToArray();

    [Fact]
    public void RegimesNeedingSyntheticImagesSayWhatIsMissing()
    {
        using var real = StripeImages.Make(2, seed: 24);
        using var folder = new TempFolder();
        var runner = new RegimeRunner(new RegimeSettings(TrainingRegime.Mixed, ImageClassifierTrainingOptions.CpuSmoke, ImageClassifierTrainingOptions.CpuSmoke));
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
