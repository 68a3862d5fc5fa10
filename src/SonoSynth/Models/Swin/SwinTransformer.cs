using SonoSynth.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's SwinTransformer v1 (Liu et al. 2021) with its names: features.0 = (0: 4x4 patch conv, 1: permute,
/// 2: LayerNorm), features.1/3/5/7 = stages of blocks (odd blocks shifted by window/2), features.2/4/6 = patch
/// merging, norm, head. Stochastic depth grows linearly from 0 to the given rate over all blocks.
/// </summary>
public sealed class SwinTransformer : ImageClassifier
{
    private readonly nn.Module<Tensor, Tensor> features, norm;
    private Linear head;
    private readonly int featureCount;

    /// <summary>swin_t: embed 96, depths (2, 2, 6, 2), heads (3, 6, 12, 24), window 7, stochastic depth 0.2.</summary>
    public static SwinTransformer SwinT(ClassifierConfig options) =>
        new("swin_t", 4, 96, [2, 2, 6, 2], [3, 6, 12, 24], 7, 0.2, options);

    public SwinTransformer(string name, int patchSize, int embedDim, int[] depths, int[] heads, int windowSize,
        double stochasticDepth, ClassifierConfig options, double mlpRatio = 4.0) : base(name, options)
    {
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>
        {
            ("0", nn.Sequential(
                ("0", nn.Conv2d(options.InChannels, embedDim, patchSize, stride: patchSize)),
                ("1", new Permute(0, 2, 3, 1)),
                ("2", nn.LayerNorm(embedDim, eps: 1e-5)))),
        };
        var totalBlocks = depths.Sum();
        var blockId = 0;
        long dim = embedDim;
        for (var stage = 0; stage < depths.Length; stage++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (var i = 0; i < depths[stage]; i++)
            {
                var dropProbability = stochasticDepth * blockId / (totalBlocks - 1.0);
                var shift = i % 2 == 0 ? 0 : windowSize / 2;
                blocks.Add((i.ToString(), new SwinBlock(dim, heads[stage], windowSize, shift, mlpRatio, dropProbability)));
                blockId++;
            }
            layers.Add((layers.Count.ToString(), nn.Sequential(blocks)));
            if (stage < depths.Length - 1)
            {
                layers.Add((layers.Count.ToString(), new PatchMerging(dim)));
                dim *= 2;
            }
        }
        features = nn.Sequential(layers);
        featureCount = (int)dim;
        norm = nn.LayerNorm(dim, eps: 1e-5);
        head = nn.Linear(dim, options.NumClasses);
        RegisterComponents();

        // torchvision: every Linear truncated normal std 0.02 (cut at ±2), bias 0 (this overrides the MLP init).
        foreach (var linear in modules().OfType<Linear>())
            WeightInit.TruncatedNormalLinear(linear);
    }

    public override int FeatureCount => featureCount;

    public override Tensor ForwardFeatures(Tensor input)
    {
        var x = norm.call(features.call(input));   // [N, H, W, C]
        return x.mean([1, 2]);                    // permute + adaptive average pool + flatten
    }

    public override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>Grad-CAM after the last stage; its channels-last map [N, h, w, C] is handed out channels-first.</summary>
    public override IGradCamTarget GradCamTarget() => new GradCamCut("features", "Grad-CAM on the last Swin stage", input =>
        new GradCamSplit(features.call(input).permute(0, 3, 1, 2),
            map => ForwardHead(norm.call(map.permute(0, 2, 3, 1)).mean([1, 2]))));

    public override IEnumerable<Parameter> HeadParameters() => head.parameters();

    public override void ReplaceHead(int numClasses)
    {
        Options = Options with { NumClasses = numClasses };
        head = ModuleSwap.ReplaceLinear(this, "head", head, featureCount, numClasses);
        WeightInit.TruncatedNormalLinear(head);
    }
}
