using static TorchSharp.torch;

namespace SonoSynth.Layers;

/// <summary>
/// Runs a network stage by stage and frees each stage's input as soon as its output exists. TorchSharp keeps every
/// intermediate tensor until the enclosing dispose scope ends, where PyTorch frees each one when nothing refers to it
/// any more; in inference that is the difference between holding one stage's activations and the whole network's
/// (bench/README.md measures what it costs). Autograd keeps what backward needs through its own references, so
/// training gives the same gradients.
/// </summary>
public static class Stages
{
    /// <summary>A handle of its own on the caller's tensor, so the first stage can free it without touching the caller's.</summary>
    public static Tensor Start(Tensor input) => input.alias();

    public static Tensor Then(this Tensor x, Func<Tensor, Tensor> stage)
    {
        Tensor y;
        using (NewDisposeScope()) y = stage(x).MoveToOuterDisposeScope();
        x.Dispose();
        return y;
    }

    /// <summary>Each child of a sequential container as a stage of its own.</summary>
    public static Tensor ThenEach(this Tensor x, nn.Module container)
    {
        foreach (var child in container.children())
            x = x.Then(((nn.Module<Tensor, Tensor>)child).call);
        return x;
    }
}
