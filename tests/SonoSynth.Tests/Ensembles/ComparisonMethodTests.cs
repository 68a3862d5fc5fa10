using SonoSynth.Data;
using SonoSynth.Ensembles;
using SonoSynth.Models;
using SonoSynth.Tests.Training;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Ensembles;

public class ComparisonMethodTests
{
    // Three Gaussian blobs in 6-D, only the first two coordinates informative; separable well above chance (1/3).
    private static (float[][] X, int[] Y) Blobs(int perClass, int seed)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<int>();
        double[][] centres = [[0, 0], [3, 0], [0, 3]];
        for (int i = 0; i < perClass * 3; i++)
        {
            int c = i % 3;
            var row = new float[6];
            for (int j = 0; j < 6; j++) row[j] = (float)((j < 2 ? centres[c][j] : 0) + Normal(random) * 0.7);
            x.Add(row);
            y.Add(c);
        }
        return (x.ToArray(), y.ToArray());
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static double Accuracy(float[][] probabilities, int[] truth) =>
        probabilities.Select((p, i) => Array.IndexOf(p, p.Max()) == truth[i]).Count(b => b) / (double)truth.Length;

    [Fact]
    public void RandomForestSeparatesBlobs()
    {
        var (trainX, trainY) = Blobs(60, 1);
        var (testX, testY) = Blobs(30, 2);
        var forest = RandomForest.Fit(trainX, trainY, 3, new RandomForestOptions(Trees: 25, Seed: 3));
        var probabilities = forest.PredictProbabilities(testX);
        Assert.True(Accuracy(probabilities, testY) > 0.85, $"forest accuracy {Accuracy(probabilities, testY)}");
        Assert.All(probabilities, p => Assert.Equal(1.0, p.Sum(), 4));
        // Seeded: the same options give the same forest.
        Assert.Equal(probabilities[0], RandomForest.Fit(trainX, trainY, 3, new RandomForestOptions(Trees: 25, Seed: 3)).PredictProbabilities(testX)[0]);
    }

    [Fact]
    public void MlpSeparatesBlobs()
    {
        var (trainX, trainY) = Blobs(60, 4);
        var (testX, testY) = Blobs(30, 5);
        using var train = tensor(trainX.SelectMany(r => r).ToArray()).reshape(trainX.Length, 6);
        using var test = tensor(testX.SelectMany(r => r).ToArray()).reshape(testX.Length, 6);
        using var mlp = MlpClassifier.Fit(train, trainY.Select(l => (long)l).ToArray(), 3, new MlpOptions([32], Epochs: 30, Seed: 1));
        var accuracy = Accuracy(mlp.PredictProbabilities(test), testY);
        Assert.True(accuracy > 0.85, $"MLP accuracy {accuracy}");
    }

    [Fact]
    public void AbsoluteMajorityNeedsMoreThanHalfOtherwiseMeanProbability()
    {
        using var images = StripeImages.Make(1, seed: 1); // 3 images, labels 0,1,2
        float[][] Voter(params int[] picks) => picks.Select(c => Enumerable.Range(0, 3).Select(k => k == c ? 0.6f : 0.2f).ToArray()).ToArray();
        // Image 0: votes 1,1,1,0 → 3 of 4 > half → 1. Image 1: votes 0,0,2,2 → no absolute majority; mean equal → lowest index 0.
        // Image 2: votes 2,2,0,1 → 2 of 4 is not > half → mean p: c2 = (.6+.6+.2+.2)/4 = .4 highest → 2.
        var voters = new[] { Voter(1, 0, 2), Voter(1, 0, 2), Voter(1, 2, 0), Voter(0, 2, 1) };
        var predictions = StackedEnsemble.AbsoluteMajority(voters, images);
        Assert.Equal([1, 0, 2], predictions.PredictedLabels);
    }

    [Fact]
    public void StackedEnsembleAndDeepFeatureIntegrationLearnTheStripeTask()
    {
        using var train = StripeImages.Make(30, seed: 30);
        using var test = StripeImages.Make(15, seed: 31, prefix: "test");
        using var folder = new TempFolder();
        var config = new ImageClassifierTrainingOptions(Epochs: 3, BatchSize: 16, LearningRate: 3e-3, Seed: 1);
        using var first = TinyTestCnn.Create(41);
        using var second = TinyTestCnn.Create(42);
        new ImageClassifierTrainer(config).Train(first, train, test, null, folder.PathOf("a"));
        new ImageClassifierTrainer(config with { Seed = 2 }).Train(second, train, test, null, folder.PathOf("b"));
        ImageClassifier[] bases = [first, second];

        var stacked = StackedEnsemble.Fit(bases, train, new RandomForestOptions(Trees: 20, Seed: 1)).Predict(test);
        Assert.True(stacked.Accuracy > 0.7, $"stacked ensemble accuracy {stacked.Accuracy}");
        Assert.Equal(test.Ids, stacked.Rows.Select(r => r.Image));

        using var integration = DeepFeatureIntegration.Fit(bases, train, new MlpOptions([32], Epochs: 40, Seed: 1));
        var integrated = integration.Predict(test);
        Assert.True(integrated.Accuracy > 0.7, $"deep feature integration accuracy {integrated.Accuracy}");
        using var features = DeepFeatureIntegration.IntegratedFeatures(bases, test, CPU);
        Assert.Equal(new long[] { test.Count, 32 }, features.shape);
    }
}
