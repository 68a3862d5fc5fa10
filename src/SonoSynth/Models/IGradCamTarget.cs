using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// A model cut in two at the layer Grad-CAM looks at: the activations there as a channels-first map
/// [N x C x h x w], and a function from (a copy of) that map to the logits [N x K].
/// </summary>
public sealed record GradCamSplit(Tensor Activations, Func<Tensor, Tensor> LogitsFrom);

/// <summary>
/// Where one architecture is cut for Grad-CAM, without hooks: it runs the model's own submodules in order up to the
/// target layer, then from there to the logits. Each family gives its own (<see cref="ImageClassifier.GradCamTarget"/>),
/// and its split reproduces the model's logits exactly (checked by a test).
/// </summary>
public interface IGradCamTarget
{
    /// <summary>The layer the map is taken at, in state-dict naming ("layer4", "encoder.layers.encoder_layer_10").</summary>
    string LayerName { get; }

    /// <summary>What the map shows, for the docs and the CLI ("Grad-CAM", "Grad-CAM on the token grid").</summary>
    string Method { get; }

    /// <summary>Runs the input [N x C x H x W] up to the target layer.</summary>
    GradCamSplit Split(Tensor input);
}

/// <summary>A target made of its parts, for the families whose split is a few lines.</summary>
internal sealed record GradCamCut(string LayerName, string Method, Func<Tensor, GradCamSplit> SplitAt) : IGradCamTarget
{
    public GradCamSplit Split(Tensor input) => SplitAt(input);

    /// <summary>Global average pooling of a channels-first map [N x C x h x w] to [N x C], as the CNN heads read it.</summary>
    public static Tensor Pool(Tensor map) => nn.functional.adaptive_avg_pool2d(map, [1, 1]).flatten(1);
}
