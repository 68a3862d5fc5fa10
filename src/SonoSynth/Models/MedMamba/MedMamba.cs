using SonoSynth.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// MedMamba (Yue &amp; Li 2024, arXiv 2403.03849; github YubiaoYue/MedMamba, MedMamba.py VSSM) with its names:
/// patch_embed.{proj, norm} (4x4 patches), layers.0..3.{blocks.j, downsample}, head. No final norm (as in the code).
/// MedMamba-T: depths (2, 2, 4, 2), dims (96, 192, 384, 768), d_state 16, drop path 0.1.
/// Parameters: 15,221,608 with 3 channels and 1000 classes (MedMamba.py's VSSM() defaults: the same count as the
/// reference modules, checked by loading our state dict into them, with equal logits); 14,457,222 with 3 channels
/// and 6 classes; 14,454,150 for this project's 1-channel, 6-class setting. The repository's README states no
/// count; the paper's figure (about 14.5 M for MedMamba-T, as recalled) could not be checked here.
/// Memory: on the CPU the scan keeps no states (<see cref="FusedSelectiveScan"/>); on a GPU its O(N·4·C·16·L) states
/// are rebuilt in backward (<see cref="RecomputedSelectiveScan"/>).
/// </summary>
public sealed class MedMamba : ImageClassifier
{
    private readonly nn.Module<Tensor, Tensor> patch_embed, layers;
    private Linear head;
    private readonly int featureCount;

    /// <summary>medmamba_t: the MedMamba repository's default VSSM.</summary>
    public static MedMamba MedMambaT(ClassifierConfig options) => new("medmamba_t", [2, 2, 4, 2], [96, 192, 384, 768], 16, 0.1, options);

    /// <summary>medmamba_nano: depths (1, 1, 2, 1), dims (32 .. 256); a CPU-friendly variant, not in the paper.</summary>
    public static MedMamba MedMambaNano(ClassifierConfig options) => new("medmamba_nano", [1, 1, 2, 1], [32, 64, 128, 256], 16, 0.1, options);

    public MedMamba(string name, int[] depths, int[] dims, int stateSize, double dropPathRate, ClassifierConfig options,
        int patchSize = 4) : base(name, options)
    {
        patch_embed = new PatchEmbed(options.InChannels, dims[0], patchSize);
        var totalBlocks = depths.Sum();
        // timm/MedMamba rule: torch.linspace(0, rate, total blocks).
        var dropPaths = Enumerable.Range(0, totalBlocks)
            .Select(i => totalBlocks == 1 ? 0.0 : dropPathRate * i / (totalBlocks - 1)).ToArray();
        var stages = new List<(string, nn.Module<Tensor, Tensor>)>();
        var offset = 0;
        for (var i = 0; i < depths.Length; i++)
        {
            stages.Add((i.ToString(), new VssStage(dims[i], depths[i], dropPaths[offset..(offset + depths[i])], stateSize,
                mergeAfter: i < depths.Length - 1)));
            offset += depths[i];
        }
        layers = nn.Sequential(stages);
        featureCount = dims[^1];
        head = nn.Linear(featureCount, options.NumClasses);
        RegisterComponents();

        // MedMamba.py: every Linear truncated normal 0.02 and bias 0, LayerNorm 1/0, then every Conv2d kaiming
        // normal (fan_out, relu). The stacked x/dt projections are parameters, not Linears, so they keep their init.
        using var noGrad = no_grad();
        foreach (var module in modules())
        {
            switch (module)
            {
                case Linear linear: WeightInit.TruncatedNormalLinear(linear); break;
                case LayerNorm norm: nn.init.ones_(norm.weight!); nn.init.zeros_(norm.bias!); break;
                case Conv2d conv: nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU); break;
            }
        }
    }

    public override int FeatureCount => featureCount;

    public override Tensor ForwardFeatures(Tensor input) => layers.call(patch_embed.call(input)).mean([1, 2]);

    public override Tensor ForwardHead(Tensor features) => head.call(features);

    /// <summary>Grad-CAM after the last VSS stage; its channels-last map [N, h, w, C] is handed out channels-first.</summary>
    public override IGradCamTarget GradCamTarget() => new GradCamCut("layers",
        "Grad-CAM on the last VSS stage (MedMamba has no separate conv-branch output)", input =>
            new GradCamSplit(layers.call(patch_embed.call(input)).permute(0, 3, 1, 2),
                map => ForwardHead(map.permute(0, 2, 3, 1).mean([1, 2]))));

    public override IEnumerable<Parameter> HeadParameters() => head.parameters();

    public override void ReplaceHead(int numClasses)
    {
        Options = Options with { NumClasses = numClasses };
        head = ModuleSwap.ReplaceLinear(this, "head", head, featureCount, numClasses);
        WeightInit.TruncatedNormalLinear(head);
    }

    /// <summary>MedMamba's PatchEmbed2D: a patch-size-strided conv "proj", channels last, LayerNorm "norm".</summary>
    private sealed class PatchEmbed : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d proj;
        private readonly LayerNorm norm;

        public PatchEmbed(long inChannels, long embedDim, long patchSize) : base("PatchEmbed2D")
        {
            proj = nn.Conv2d(inChannels, embedDim, patchSize, stride: patchSize);
            norm = nn.LayerNorm(embedDim);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => norm.call(proj.call(input).permute(0, 2, 3, 1));
    }
}
