using TorchSharp;
using SonoSynth.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's VisionTransformer (Dosovitskiy et al. 2021) with its names: conv_proj, class_token,
/// encoder.{pos_embedding, layers.encoder_layer_i, ln}, heads.head. The position embedding is sized to the input:
/// (ImageSize / patch)² + 1 tokens (50 at 224 px, 17 at 128 px for patch 32).
/// </summary>
public sealed class VisionTransformer : ImageClassifier
{
    private readonly Conv2d conv_proj;
    private readonly Parameter class_token;
    private readonly nn.Module<Tensor, Tensor> encoder;
    private nn.Module<Tensor, Tensor> heads;
    private readonly int patchSize, hiddenDim;

    /// <summary>vit_b_32: patch 32, 12 layers, 12 heads, hidden 768, MLP 3072.</summary>
    public static VisionTransformer VitB32(ClassifierConfig options) => new("vit_b_32", 32, 12, 12, 768, 3072, options);

    public VisionTransformer(string name, int patchSize, int layerCount, int headCount, int hiddenDim, int mlpDim,
        ClassifierConfig options, double dropout = 0.0, double attentionDropout = 0.0) : base(name, options)
    {
        if (options.ImageSize % patchSize != 0)
            throw new ArgumentException(
                $"{name} needs an image size divisible by its patch size {patchSize}; got {options.ImageSize}. " +
                $"Use --image-size {Math.Max(patchSize, options.ImageSize / patchSize * patchSize)}.");
        this.patchSize = patchSize;
        this.hiddenDim = hiddenDim;
        var gridSize = options.ImageSize / patchSize;

        conv_proj = nn.Conv2d(options.InChannels, hiddenDim, patchSize, stride: patchSize);
        class_token = new Parameter(zeros(1, 1, hiddenDim));
        encoder = new TransformerEncoder(gridSize * gridSize + 1, layerCount, headCount, hiddenDim, mlpDim, dropout, attentionDropout);
        heads = nn.Sequential(("head", (nn.Module<Tensor, Tensor>)nn.Linear(hiddenDim, options.NumClasses)));
        RegisterComponents();

        using var noGrad = no_grad();
        // torchvision: truncated normal with std √(1 / fan_in) for the patch projection, zero bias.
        var fanIn = options.InChannels * patchSize * patchSize;
        WeightInit.TruncatedNormal(conv_proj.weight, std: Math.Sqrt(1.0 / fanIn));
        nn.init.zeros_(conv_proj.bias!);
        ZeroHead();
    }

    // Not a field: RegisterComponents would register it a second time at the top level.
    private Linear Head => (Linear)heads.named_children().Single().module;

    private void ZeroHead()
    {
        var head = Head;
        using var noGrad = no_grad();
        nn.init.zeros_(head.weight);
        nn.init.zeros_(head.bias!);
    }

    public override int FeatureCount => hiddenDim;

    public override string HeadName => "heads.head";

    /// <summary>The class token's output after the final LayerNorm [N x hidden].</summary>
    public override Tensor ForwardFeatures(Tensor input)
    {
        var batch = input.shape[0];
        // [N, D, H/p, W/p] -> [N, (H/p)(W/p), D]
        var patches = conv_proj.call(input).flatten(2).transpose(1, 2);
        var tokens = cat([class_token.expand(batch, -1, -1), patches], 1);
        return encoder.call(tokens)[TensorIndex.Colon, 0];
    }

    public override Tensor ForwardHead(Tensor features) => heads.call(features);

    public override IGradCamTarget GradCamTarget() => new VisionTransformerGradCamTarget(this);

    public override IEnumerable<Parameter> HeadParameters() => Head.parameters();

    public override void ReplaceHead(int numClasses)
    {
        Options = Options with { NumClasses = numClasses };
        var old = Head;
        var freshHead = nn.Linear(hiddenDim, numClasses);
        freshHead.to(old.weight.dtype).to(old.weight.device);
        var freshHeads = nn.Sequential(("head", (nn.Module<Tensor, Tensor>)freshHead));
        ModuleSwap.Replace(this, "heads", heads, freshHeads);
        heads = freshHeads;
        ZeroHead();
    }
}
