using SonoSynth.Data;
using SonoSynth.Training;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Training;

public class ImageClassifierTrainerTests
{
    private static readonly ImageClassifierTrainingOptions Quick = new(Epochs: 4, BatchSize: 16, LearningRate: 3e-3, Seed: 7);

    [Fact]
    public void SmallCnnLearnsStripeTaskWellAboveChance()
    {
        using var train = StripeImages.Make(40, seed: 1);
        using var test = StripeImages.Make(20, seed: 2, prefix: "test");
        using var model = TinyTestCnn.Create(3);
        using var folder = new TempFolder();
        var result = new ImageClassifierTrainer(Quick with { Epochs = 6 }) { Augment = StripeImages.RandomHorizontalFlip }
            .Train(model, train, test, validation: null, folder.Path);
        // Chance is 1/3; the task is easy for a CNN, so 6 short epochs clear 80%.
        Assert.True(result.BestTestAccuracy > 0.8, $"best test accuracy {result.BestTestAccuracy}");
        Assert.Equal(6, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss);
        var log = File.ReadAllLines(Path.Combine(folder.Path, ImageClassifierTrainer.LogFile));
        Assert.Equal(TrainingLog.Header, log[0]);
        Assert.Equal(7, log.Length);
        Assert.NotNull(ImageClassifierTrainer.ReadResult(folder.Path));
    }

    [Fact]
    public void ValidationChoosesTheEpochAndTestAccuracyIsReportedThere()
    {
        using var train = StripeImages.Make(30, seed: 3);
        using var test = StripeImages.Make(10, seed: 4, prefix: "test");
        using var validation = StripeImages.Make(10, seed: 5, prefix: "val");
        using var model = TinyTestCnn.Create(3);
        using var folder = new TempFolder();
        var result = new ImageClassifierTrainer(Quick).Train(model, train, test, validation, folder.Path);
        var chosen = result.History.OrderByDescending(e => e.ValidationAccuracy).ThenBy(e => e.Epoch).First();
        Assert.Equal(chosen.Epoch, result.SelectedEpoch);
        Assert.Equal(chosen.TestAccuracy, result.TestAccuracyAtSelectedEpoch);
        Assert.Equal(result.History.Max(e => e.TestAccuracy), result.BestTestAccuracy);
        Assert.True(File.Exists(Path.Combine(folder.Path, ImageClassifierTrainer.SelectedWeightsFile)));
    }

    [Fact]
    public void SecondRunIntoSameFolderWithoutResumeIsRefused()
    {
        using var train = StripeImages.Make(4, seed: 8);
        using var folder = new TempFolder();
        using var model = TinyTestCnn.Create(1);
        new ImageClassifierTrainer(Quick with { Epochs = 1 }).Train(model, train, train, null, folder.Path);
        var error = Assert.Throws<InputError>(() => new ImageClassifierTrainer(Quick with { Epochs = 1 }).Train(model, train, train, null, folder.Path));
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void NanLossStopsClearlyAndKeepsLastGoodCheckpoint()
    {
        using var train = StripeImages.Make(10, seed: 9); // 30 images, batch 16: 2 steps per epoch
        using var test = StripeImages.Make(2, seed: 10, prefix: "test");
        using var folder = new TempFolder();
        using var model = TinyTestCnn.Create(2);
        int batches = 0;
        Tensor PoisonFromThirdBatch(Tensor images, Generator _) =>
            ++batches >= 3 ? images.mul(float.NaN) : images.clone();
        var error = Assert.Throws<NonFiniteLossException>(() =>
            new ImageClassifierTrainer(Quick) { Augment = PoisonFromThirdBatch }.Train(model, train, test, null, folder.Path));
        Assert.Contains("epoch 2", error.Message);
        Assert.Contains("last good checkpoint (epoch 1)", error.Message);
        var meta = ImageClassifierCheckpoint.ReadHeader(Path.Combine(folder.Path, ImageClassifierTrainer.CheckpointFile));
        Assert.Equal(1, meta.Epoch);
        Assert.True(double.IsFinite(meta.History[0].TrainLoss));
    }

    [Fact]
    public void LastLayerFineTuningLeavesEveryOtherWeightAndBufferBitIdentical()
    {
        using var train = StripeImages.Make(12, seed: 11);
        using var test = StripeImages.Make(4, seed: 12, prefix: "test");
        using var folder = new TempFolder();
        using var model = TinyTestCnn.Create(5);
        new ImageClassifierTrainer(Quick with { Epochs = 1 }).Train(model, train, test, null, folder.PathOf("pretrain"));
        var before = StripeImages.StateBytes(model);

        new ImageClassifierTrainer(Quick with { Epochs = 2 }) { Trainable = TrainableParameters.HeadOnly, Augment = StripeImages.RandomHorizontalFlip }
            .Train(model, train, test, null, folder.PathOf("lastlayer"));
        var after = StripeImages.StateBytes(model);

        var head = new[] { "fc.weight", "fc.bias" };
        Assert.Contains("bn1.running_mean", before.Keys);
        Assert.Contains("bn1.num_batches_tracked", before.Keys);
        foreach (var (name, bytes) in before)
        {
            if (head.Contains(name)) Assert.False(bytes.SequenceEqual(after[name]), $"head {name} did not train");
            else Assert.True(bytes.SequenceEqual(after[name]), $"{name} changed while frozen");
        }
    }
}
