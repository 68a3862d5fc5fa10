using SonoSynth.Layers;
using SonoSynth.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's ResNet (He et al. 2016, v1.5) with its module names: conv1, bn1, maxpool, layer1..layer4
/// (blocks "0".."n-1", shortcut "downsample.0"/"downsample.1"), fc. The first conv takes
/// <see cref="ClassifierConfig.InChannels"/> channels.
/// </summary>
public sealed class ResNet : ImageClassifier
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly nn.Module<Tensor, Tensor> relu, maxpool, layer1, layer2, layer3, layer4;
    private Linear fc;
    private readonly int featureCount;

    /// <summary>resnet50: Bottleneck blocks (3, 4, 6, 3).</summary>
    public static ResNet ResNet50(ClassifierConfig options) => new("resnet50", new Bottleneck.Kind(), [3, 4, 6, 3], options);

    /// <summary>resnet18: BasicBlocks (2, 2, 2, 2); a CPU-friendly stand-in, not one of the paper's models.</summary>
    public static ResNet ResNet18(ClassifierConfig options) => new("resnet18", new BasicBlock.Kind(), [2, 2, 2, 2], options);

    public ResNet(string name, IResidualBlockKind block, int[] blocksPerStage, ClassifierConfig options) : base(name, options)
    {
        long inChannels = 64;
        conv1 = nn.Conv2d(options.InChannels, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = nn.BatchNorm2d(64);
        relu = nn.ReLU();
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        layer1 = MakeStage(block, ref inChannels, 64, blocksPerStage[0], 1);
        layer2 = MakeStage(block, ref inChannels, 128, blocksPerStage[1], 2);
        layer3 = MakeStage(block, ref inChannels, 256, blocksPerStage[2], 2);
        layer4 = MakeStage(block, ref inChannels, 512, blocksPerStage[3], 2);
        featureCount = (int)inChannels;
        fc = nn.Linear(featureCount, options.NumClasses);
        RegisterComponents();
        WeightInit.KaimingConvUnitBatchNorm(this, nn.init.FanInOut.FanOut, nn.init.NonlinearityType.ReLU);
    }

    private static nn.Module<Tensor, Tensor> MakeStage(IResidualBlockKind block, ref long inChannels, long planes, int blockCount, long stride)
    {
        var outChannels = planes * block.Expansion;
        nn.Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inChannels != outChannels)
        {
            // Strided 1x1 shortcuts run as subsampling + 1x1 conv (oneDNN SIGFPE workaround, same math).
            nn.Module<Tensor, Tensor> projection = stride == 1
                ? nn.Conv2d(inChannels, outChannels, 1, bias: false)
                : new SubsampledPointwiseConv(inChannels, outChannels, stride);
            downsample = nn.Sequential(("0", projection), ("1", nn.BatchNorm2d(outChannels)));
        }
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)> { ("0", block.Create(inChannels, planes, stride, downsample)) };
        inChannels = outChannels;
        for (var i = 1; i < blockCount; i++)
            blocks.Add((i.ToString(), block.Create(inChannels, planes, 1, null)));
        return nn.Sequential(blocks);
    }

    public override int FeatureCount => featureCount;

    public override string HeadName => "fc";

    public override Tensor ForwardFeatures(Tensor input)
    {
        // Block by block, freeing each block's input as soon as its output exists (see Stages).
        return Stages.Start(input)
            .Then(x => maxpool.call(FoldedBatchNorm.Applies(this) ? FoldedBatchNorm.Conv(x, conv1, bn1).relu_() : relu.call(bn1.call(conv1.call(x)))))
            .ThenEach(layer1).ThenEach(layer2).ThenEach(layer3).ThenEach(layer4)
            .Then(x => nn.functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1));
    }

    public override Tensor ForwardHead(Tensor features) => fc.call(features);

    /// <summary>Grad-CAM at layer4, the last residual stage.</summary>
    public override IGradCamTarget GradCamTarget() => new GradCamCut("layer4", "Grad-CAM", input =>
    {
        var x = maxpool.call(relu.call(bn1.call(conv1.call(input))));
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 }) x = stage.call(x);
        return new GradCamSplit(x, map => ForwardHead(GradCamCut.Pool(map)));
    });

    public override IEnumerable<Parameter> HeadParameters() => fc.parameters();

    public override void ReplaceHead(int numClasses)
    {
        Options = Options with { NumClasses = numClasses };
        // torchvision leaves fc at nn.Linear's default init.
        fc = ModuleSwap.ReplaceLinear(this, "fc", fc, featureCount, numClasses);
    }
}
