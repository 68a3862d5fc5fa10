using SonoSynth.Quality.Inception;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Features;

/// <summary>
/// pool3 (2048-d) features of an Inception-v3, with pytorch-fid's input pipeline: RGB (gray replicated to 3 channels),
/// 299×299 bilinear (align_corners=False), [0,1] → [-1,1] (2x − 1). Owns the model.
/// </summary>
public sealed class InceptionFeatureExtractor : IFeatureExtractor
{
    public const int Resolution = 299;

    private readonly InceptionV3 model;
    private readonly Device device;

    public InceptionFeatureExtractor(InceptionV3 model, Device device, string id, string displayName, bool isFidInception)
    {
        this.model = model;
        this.device = device;
        model.to(device);
        model.eval();
        Id = id;
        DisplayName = displayName;
        IsFidInception = isFidInception;
    }

    public string Id { get; }
    public string DisplayName { get; }
    public bool IsFidInception { get; }
    public int FeatureCount => InceptionV3.PoolFeatureCount;
    public int InputSize => Resolution;

    public Tensor Extract(Tensor images)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = images.to(device).to_type(ScalarType.Float32);
        if (x.shape[2] != Resolution || x.shape[3] != Resolution)
            x = nn.functional.interpolate(x, [Resolution, Resolution], mode: InterpolationMode.Bilinear, align_corners: false);
        if (x.shape[1] == 1) x = x.expand(-1, 3, -1, -1); // gray → RGB, as PIL's convert('RGB')
        x = x.mul(2).sub(1); // pytorch-fid's normalize_input
        return model.ForwardPool3(x).cpu().MoveToOuterDisposeScope();
    }

    public void Dispose() => model.Dispose();
}
