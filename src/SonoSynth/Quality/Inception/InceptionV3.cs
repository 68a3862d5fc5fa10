using SonoSynth.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inception;

/// <summary>
/// Inception-v3 with torchvision's module names (Conv2d_1a_3x3 … Mixed_7c, AuxLogits, fc), so PyTorch state dicts
/// (torchvision's or pytorch-fid's pt_inception-2015-12-05) load 1:1. Input: [N x 3 x 299 x 299], already
/// normalised as the weights expect (FID weights: [-1, 1]).
/// </summary>
public sealed class InceptionV3 : nn.Module<Tensor, Tensor>
{
    public const int PoolFeatureCount = 2048;

    private readonly BasicConv2d Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, Conv2d_3b_1x1, Conv2d_4a_3x3;
    private readonly InceptionA Mixed_5b, Mixed_5c, Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly InceptionC Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e;
    private readonly InceptionAux? AuxLogits;
    private readonly InceptionD Mixed_7a;
    private readonly InceptionE Mixed_7b, Mixed_7c;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public InceptionV3(InceptionV3Options options) : base(nameof(InceptionV3))
    {
        Options = options;
        // FID graph: every average-pooled branch excludes padding, and Mixed_7c max-pools (pytorch-fid's patches).
        var averagePool = options.FidPooling ? BranchPooling.AverageExcludingPadding : BranchPooling.Average;
        var lastPool = options.FidPooling ? BranchPooling.Max : BranchPooling.Average;
        Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
        Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
        Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
        Mixed_5b = new InceptionA(192, 32, averagePool);
        Mixed_5c = new InceptionA(256, 64, averagePool);
        Mixed_5d = new InceptionA(288, 64, averagePool);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new InceptionC(768, 128, averagePool);
        Mixed_6c = new InceptionC(768, 160, averagePool);
        Mixed_6d = new InceptionC(768, 160, averagePool);
        Mixed_6e = new InceptionC(768, 192, averagePool);
        AuxLogits = options.AuxHead ? new InceptionAux(768, options.ClassCount) : null;
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new InceptionE(1280, averagePool);
        Mixed_7c = new InceptionE(2048, lastPool);
        dropout = nn.Dropout(0.5);
        fc = nn.Linear(PoolFeatureCount, options.ClassCount);
        RegisterComponents();
    }

    public InceptionV3Options Options { get; }

    /// <summary>pool3 features: the 2048-d global average of Mixed_7c, [N x 2048] (what FID uses).</summary>
    public Tensor ForwardPool3(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Stages.Start(x)
            .Then(t => Conv2d_2b_3x3.call(Conv2d_2a_3x3.call(Conv2d_1a_3x3.call(t))))  // N x 64 x 147 x 147
            .Then(t => nn.functional.max_pool2d(t, 3, stride: 2))                        // N x 64 x 73 x 73
            .Then(t => Conv2d_4a_3x3.call(Conv2d_3b_1x1.call(t)))                        // N x 192 x 71 x 71
            .Then(t => nn.functional.max_pool2d(t, 3, stride: 2))                        // N x 192 x 35 x 35
            .Then(Mixed_5b.call).Then(Mixed_5c.call).Then(Mixed_5d.call)                // N x 288 x 35 x 35
            .Then(Mixed_6a.call).Then(Mixed_6b.call).Then(Mixed_6c.call).Then(Mixed_6d.call).Then(Mixed_6e.call) // N x 768 x 17 x 17
            .Then(Mixed_7a.call).Then(Mixed_7b.call).Then(Mixed_7c.call)                // N x 2048 x 8 x 8
            .Then(t => nn.functional.adaptive_avg_pool2d(t, [1, 1]).flatten(1))
            .MoveToOuterDisposeScope();
    }

    /// <summary>Class logits [N x ClassCount] (the aux head is not run; torchvision runs it only when training).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return fc.call(dropout.call(ForwardPool3(x))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Deterministic random weights from <paramref name="generator"/>: He-normal convolutions (variance-preserving
    /// through ~50 ReLU layers), N(0, 0.01) linear layers, BatchNorm as identity. Used when no trained weights exist.
    /// </summary>
    public void InitializeRandom(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".conv.weight"))
            {
                long fanIn = parameter.shape[1] * parameter.shape[2] * parameter.shape[3];
                parameter.normal_(0, Math.Sqrt(2.0 / fanIn), generator);
            }
            else if (name.EndsWith("fc.weight")) parameter.normal_(0, 0.01, generator);
            else if (name.EndsWith(".bn.weight")) parameter.fill_(1);
            else parameter.zero_(); // BatchNorm and fc biases
        }
    }
}
