using SonoSynth.Tests.TrainingKit;
using SonoSynth.Training;
using TorchSharp;

namespace SonoSynth.Tests.Training;

/// <summary>
/// Dropout draws from torch's process-wide generator, so a test that demands bit-identical weights must not run
/// beside other tests that draw from it.
/// </summary>
[CollectionDefinition("Global torch RNG", DisableParallelization = true)]
public class GlobalTorchRngCollection;

[Collection("Global torch RNG")]
public class TrainerResumeTests
{
    private static readonly ImageClassifierTrainingOptions Quick = new(Epochs: 4, BatchSize: 16, LearningRate: 3e-3, Seed: 7);

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a checkpoint written before sections had names
    public void ResumeAfterStopGivesBitIdenticalWeights(bool earlierVersion)
    {
        using var train = StripeImages.Make(20, seed: 6);
        using var test = StripeImages.Make(5, seed: 7, prefix: "test");
        using var folder = new TempFolder();

        using var uninterrupted = TinyTestCnn.Create(11);
        new ImageClassifierTrainer(Quick) { Augment = StripeImages.RandomHorizontalFlip }.Train(uninterrupted, train, test, null, folder.PathOf("a"));

        using (var first = TinyTestCnn.Create(11))
            new ImageClassifierTrainer(Quick) { Augment = StripeImages.RandomHorizontalFlip, StopAfterEpoch = 2 }.Train(first, train, test, null, folder.PathOf("b"));
        if (earlierVersion)
            LegacyCheckpoints.RewriteUnnamed(folder.PathOf("b", ImageClassifierTrainer.CheckpointFile), LegacyCheckpoints.ImageClassifierMagic);
        // A fresh process would build the model from another seed; the checkpoint must restore everything.
        torch.manual_seed(999);
        torch.rand(100);
        using var resumed = TinyTestCnn.Create(12345);
        var result = new ImageClassifierTrainer(Quick) { Augment = StripeImages.RandomHorizontalFlip }.Train(resumed, train, test, null, folder.PathOf("b"), resume: true);

        Assert.Equal(4, result.History.Count);
        var expected = StripeImages.StateBytes(uninterrupted);
        var actual = StripeImages.StateBytes(resumed);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expected) Assert.True(bytes.SequenceEqual(actual[name]), $"{name} differs after resume");
    }
}
