// TEMPORARY: replaced at merge by the models branch
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>Builds classifiers by name. Temporary: only "tiny_cnn" until the models branch lands.</summary>
public static class ClassifierRegistry
{
    private static readonly Dictionary<string, Func<ClassifierOptions, ImageClassifier>> Builders = new()
    {
        ["tiny_cnn"] = o => new TinyCnn(o),
    };

    public static IReadOnlyCollection<string> Names => Builders.Keys;

    public static ImageClassifier Create(string name, ClassifierOptions options) =>
        Builders.TryGetValue(name, out var build) ? build(options) : throw new ArgumentException(
            $"Unknown classifier '{name}'. Choose one of: {string.Join(", ", Builders.Keys)}.");

    private sealed class TinyCnn : ImageClassifier
    {
        private readonly Conv2d conv1;
        private readonly BatchNorm2d bn1;
        private readonly Conv2d conv2;
        private Linear fc;

        public TinyCnn(ClassifierOptions options) : base("tiny_cnn", options)
        {
            conv1 = nn.Conv2d(options.InChannels, 8, 3, stride: 2, padding: 1);
            bn1 = nn.BatchNorm2d(8);
            conv2 = nn.Conv2d(8, 16, 3, stride: 2, padding: 1);
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

        public override Tensor ForwardHead(Tensor features) => fc.call(features);

        public override IEnumerable<Parameter> HeadParameters() => fc.parameters();

        public override void ReplaceHead(int numClasses)
        {
            var old = fc;
            fc = nn.Linear(FeatureCount, numClasses);
            register_module("fc", fc);
            old.Dispose();
        }
    }
}
