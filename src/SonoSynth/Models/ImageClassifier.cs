using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// What every downstream classifier exposes, so every training regime works with every architecture
/// (timm's forward_features / forward_head / reset_classifier). Submodules keep torchvision's names,
/// so state dicts map one-to-one.
/// </summary>
public abstract class ImageClassifier : nn.Module<Tensor, Tensor>
{
    protected ImageClassifier(string name, ClassifierConfig options) : base(name) { Options = options; }

    /// <summary>How the model was built; <see cref="ReplaceHead"/> updates NumClasses.</summary>
    public ClassifierConfig Options { get; protected set; }

    /// <summary>Pooled features [N x FeatureCount] before the classification head.</summary>
    public abstract Tensor ForwardFeatures(Tensor input);

    /// <summary>Logits [N x NumClasses] from pooled features.</summary>
    public abstract Tensor ForwardHead(Tensor features);

    /// <summary>Width of the pooled feature vector the head reads.</summary>
    public abstract int FeatureCount { get; }

    /// <summary>The head's parameters: the only ones trained by "fine-tune the last layer".</summary>
    public abstract IEnumerable<TorchSharp.Modules.Parameter> HeadParameters();

    /// <summary>Replaces the head with a freshly initialised one for <paramref name="numClasses"/> classes.</summary>
    public abstract void ReplaceHead(int numClasses);

    /// <summary>Where Grad-CAM cuts this architecture: each family knows its own layer.</summary>
    public virtual IGradCamTarget GradCamTarget() =>
        throw new ArgumentException($"No Grad-CAM target is known for '{GetName()}'. Override ImageClassifier.GradCamTarget for it.");

    /// <summary>The head's module path in the state dict ("fc", "classifier", "heads.head", "head").</summary>
    public virtual string HeadName => "head";

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return ForwardHead(ForwardFeatures(input)).MoveToOuterDisposeScope();
    }
}
