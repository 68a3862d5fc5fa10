using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// A model cut in two at the layer Grad-CAM looks at: the activations there as a channels-first map
/// [N x C x h x w], and a function from (a copy of) that map to the logits [N x K].
/// </summary>
public sealed record GradCamSplit(Tensor Activations, Func<Tensor, Tensor> LogitsFrom);

/// <summary>
/// Knows where to cut one architecture for Grad-CAM, without hooks: it runs the model's own submodules in
/// order up to the target layer, then from there to the logits. <see cref="GradCamTargets.For"/> picks one.
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
