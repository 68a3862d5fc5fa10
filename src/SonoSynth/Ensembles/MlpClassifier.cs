using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Ensembles;

/// <summary>
/// Multi-layer perceptron settings. Krishna &amp; Kokil (2023) do not give every detail we need in their abstract;
/// assumed here: features standardised with training mean/std, hidden layers of 512 and 256 ReLU units with
/// dropout 0.5, softmax output, Adam lr 1e-3, batch 64, 100 epochs, cross-entropy.
/// </summary>
public sealed record MlpOptions(int[] HiddenUnits, double Dropout = 0.5, double LearningRate = 1e-3, int BatchSize = 64,
    int Epochs = 100, long Seed = 0)
{
    public static MlpOptions Default { get; } = new([512, 256]);
}

/// <summary>An MLP classifier on fixed feature vectors [N x F], trained with seeded shuffling and init.</summary>
public sealed class MlpClassifier : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly Tensor mean, std;

    private MlpClassifier(nn.Module<Tensor, Tensor> network, Tensor mean, Tensor std, int classCount)
    {
        this.network = network;
        this.mean = mean;
        this.std = std;
        ClassCount = classCount;
    }

    public int ClassCount { get; }

    public static MlpClassifier Fit(Tensor features, IReadOnlyList<long> labels, int classCount, MlpOptions options)
    {
        if (features.dim() != 2 || features.shape[0] != labels.Count)
            throw new ArgumentException($"Features must be [N x F] with one label per row; got {string.Join("x", features.shape)} and {labels.Count} labels.");
        // The network is built outside the dispose scope: its parameters must outlive this method.
        torch.manual_seed(options.Seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = features.shape[1];
        for (int i = 0; i < options.HiddenUnits.Length; i++)
        {
            layers.Add(($"fc{i + 1}", nn.Linear(width, options.HiddenUnits[i])));
            layers.Add(($"relu{i + 1}", nn.ReLU()));
            layers.Add(($"dropout{i + 1}", nn.Dropout(options.Dropout)));
            width = options.HiddenUnits[i];
        }
        layers.Add(("out", nn.Linear(width, classCount)));
        var network = nn.Sequential(layers.ToArray());
        using var scope = NewDisposeScope();
        var x = features.to_type(ScalarType.Float32);
        var mean = x.mean([0], keepdim: true);
        var std = x.std(0, keepdim: true).clamp_min(1e-6);
        var standardized = (x - mean) / std;
        var target = tensor(labels.ToArray(), dtype: ScalarType.Int64);
        using var optimizer = optim.Adam(network.parameters(), lr: options.LearningRate);
        using var shuffle = new Generator((ulong)options.Seed);
        long n = standardized.shape[0];
        network.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            using var epochScope = NewDisposeScope();
            var order = randperm(n, generator: shuffle);
            for (long start = 0; start < n; start += options.BatchSize)
            {
                using var stepScope = NewDisposeScope();
                var rows = order.narrow(0, start, Math.Min(options.BatchSize, n - start));
                var loss = nn.functional.cross_entropy(network.call(standardized.index_select(0, rows)), target.index_select(0, rows));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        network.eval();
        return new MlpClassifier(network, mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope(), classCount);
    }

    public float[][] PredictProbabilities(Tensor features)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var probabilities = nn.functional.softmax(network.call((features.to_type(ScalarType.Float32) - mean) / std), 1);
        var flat = probabilities.data<float>().ToArray();
        return Enumerable.Range(0, (int)features.shape[0]).Select(i => flat.AsSpan(i * ClassCount, ClassCount).ToArray()).ToArray();
    }

    public void Dispose()
    {
        network.Dispose();
        mean.Dispose();
        std.Dispose();
    }
}
