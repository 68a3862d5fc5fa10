using SonoSynth.Layers;
using SonoSynth.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's DenseNet (Huang et al. 2017) with its module names: features.{conv0, norm0, relu0, pool0,
/// denseblock1..4 (denselayer1..N), transition1..3, norm5}, classifier.
/// </summary>
public sealed class DenseNet : ImageClassifier
{
    private readonly nn.Module<Tensor, Tensor> features;
    private Linear classifier;
    private readonly int featureCount;

    /// <summary>densenet169: growth 32, blocks (6, 12, 32, 32), bn_size 4, 64 initial features.</summary>
    public static DenseNet DenseNet169(ClassifierConfig options) => new("densenet169", 32, [6, 12, 32, 32], 64, 4, options);

    /// <summary>densenet121: blocks (6, 12, 24, 16); a lighter stand-in, not one of the paper's models.</summary>
    public static DenseNet DenseNet121(ClassifierConfig options) => new("densenet121", 32, [6, 12, 24, 16], 64, 4, options);

    public DenseNet(string name, int growthRate, int[] blockConfig, int initialFeatures, int bottleneckFactor,
        ClassifierConfig options) : base(name, options)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("conv0", nn.Conv2d(options.InChannels, initialFeatures, 7, stride: 2, padding: 3, bias: false)),
            ("norm0", nn.BatchNorm2d(initialFeatures)),
            ("relu0", nn.ReLU()),
            ("pool0", nn.MaxPool2d(3, stride: 2, padding: 1)),
        };
        long channels = initialFeatures;
        for (var i = 0; i < blockConfig.Length; i++)
        {
            layers.Add(($"denseblock{i + 1}", new DenseBlock(blockConfig[i], channels, growthRate, bottleneckFactor)));
            channels += blockConfig[i] * growthRate;
            if (i != blockConfig.Length - 1)
            {
                layers.Add(($"transition{i + 1}", new DenseTransition(channels, channels / 2)));
                channels /= 2;
            }
        }
        layers.Add(("norm5", nn.BatchNorm2d(channels)));
        features = nn.Sequential(layers);
        featureCount = (int)channels;
        classifier = nn.Linear(featureCount, options.NumClasses);
        RegisterComponents();

        // torchvision: kaiming_normal_ (fan_in, leaky_relu a=0, i.e. gain √2), BN 1/0, Linear bias 0.
        WeightInit.KaimingConvUnitBatchNorm(this, nn.init.FanInOut.FanIn, nn.init.NonlinearityType.LeakyReLU);
        using (no_grad()) nn.init.zeros_(classifier.bias!);
    }

    public override int FeatureCount => featureCount;

    public override string HeadName => "classifier";

    public override Tensor ForwardFeatures(Tensor input)
    {
        // Block by block, freeing each block's input as soon as its output exists (see Stages).
        return Stages.Start(input).ThenEach(features)
            .Then(x => nn.functional.adaptive_avg_pool2d(nn.functional.relu(x), [1, 1]).flatten(1));
    }

    public override Tensor ForwardHead(Tensor pooled) => classifier.call(pooled);

    /// <summary>Grad-CAM after norm5 and the ReLU the head applies.</summary>
    public override IGradCamTarget GradCamTarget() => new GradCamCut("features.norm5", "Grad-CAM", input =>
        new GradCamSplit(nn.functional.relu(features.call(input)), map => ForwardHead(GradCamCut.Pool(map))));

    public override IEnumerable<Parameter> HeadParameters() => classifier.parameters();

    public override void ReplaceHead(int numClasses)
    {
        Options = Options with { NumClasses = numClasses };
        classifier = ModuleSwap.ReplaceLinear(this, "classifier", classifier, featureCount, numClasses);
        using (no_grad()) nn.init.zeros_(classifier.bias!);
    }
}
