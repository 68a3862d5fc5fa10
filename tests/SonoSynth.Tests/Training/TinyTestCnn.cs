using SonoSynth.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Training;

/// <summary>A small CNN with BatchNorm (running statistics) and dropout (global RNG), standing in for the real architectures.</summary>
internal sealed class TinyTestCnn : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly Dropout dropout;
    private Linear fc;

    public TinyTestCnn(ClassifierConfig options) : base("tiny_test_cnn", options)
    {
        conv1 = nn.Conv2d(options.InChannels, 8, 3, padding: 1);
        bn1 = nn.BatchNorm2d(8);
        conv2 = nn.Conv2d(8, 16, 3, stride: 2, padding: 1);
        dropout = nn.Dropout(0.1);
        fc = nn.Linear(16, options.NumClasses);
        RegisterComponents();
    }

    public override int FeatureCount => 16;

    public override Tensor ForwardFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = nn.functional.relu(bn1.call(conv1.call(input)));
        x = nn.functional.relu(conv2.call(x));
        return x.mean([2, 3]).MoveToOuterDisposeScope();
    }

    public override Tensor ForwardHead(Tensor features) => fc.call(dropout.call(features));

    public override IEnumerable<Parameter> HeadParameters() => fc.parameters();

    public override void ReplaceHead(int numClasses)
    {
        var old = fc;
        fc = nn.Linear(FeatureCount, numClasses);
        register_module("fc", fc);
        old.Dispose();
    }

    public static TinyTestCnn Create(long seed, int classes = 3)
    {
        torch.manual_seed(seed);
        return new TinyTestCnn(new ClassifierConfig(1, classes, 16));
    }
}
