using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// Activation recomputation (guided-diffusion's nn.checkpoint, its --use_checkpoint flag): the forward pass runs the
/// block without building a graph and keeps only the block's inputs; the backward pass runs the block again with
/// gradients and differentiates that. Memory per block falls from all its intermediate activations to its inputs,
/// for about one more forward pass of compute. Unlike guided-diffusion's version, the random-number state is replayed,
/// so a block with dropout draws the same mask twice and the gradients are exactly those of the forward pass.
/// TorchSharp keeps the managed handles of a custom function's incoming and returned gradients in whatever dispose
/// scope is open when backward runs (the training step's), which would hold every block's gradients until the step
/// ends and undo the saving; so backward frees the incoming gradient itself and hands its returned gradients over
/// to be freed at the next block's backward (libtorch has copied them by then).
/// </summary>
public sealed class ActivationCheckpoint : autograd.SingleTensorFunction<ActivationCheckpoint>
{
    public override string Name => nameof(ActivationCheckpoint);

    /// <summary>
    /// <paramref name="block"/>(<paramref name="inputs"/>) with its activations recomputed in backward.
    /// <paramref name="parameters"/> are the block's trainable tensors: they receive gradients too.
    /// </summary>
    public static Tensor Apply(Func<Tensor[], Tensor> block, Tensor[] inputs, IEnumerable<Tensor> parameters)
    {
        ReleaseHandedOver();
        var trainable = parameters.Where(p => p.requires_grad).ToArray();
        // The state must outlive the caller's dispose scope (the U-Net's forward ends before backward runs); the GC frees it.
        var recipe = new Recipe(block, inputs.Length, trainable, random.get_rng_state().DetachFromDisposeScope());
        return apply([recipe, .. inputs, .. trainable]);
    }

    private sealed record Recipe(Func<Tensor[], Tensor> Block, int InputCount, Tensor[] Parameters, Tensor RandomState);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var recipe = (Recipe)vars[0];
        var inputs = vars.Skip(1).Take(recipe.InputCount).Cast<Tensor>().ToList();
        ctx.save_for_backward(inputs);
        ctx.save_data(nameof(Recipe), recipe);
        return recipe.Block([.. inputs]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ReleaseHandedOver();
        var recipe = (Recipe)ctx.get_data(nameof(Recipe));
        using var scope = NewDisposeScope();
        var inputs = ctx.get_saved_variables().Select(t => t.detach().requires_grad_(t.is_floating_point())).ToArray();
        var randomState = random.get_rng_state();
        random.set_rng_state(recipe.RandomState);
        Tensor output;
        try
        {
            using var enableGrad = enable_grad();
            output = recipe.Block(inputs);
        }
        finally
        {
            random.set_rng_state(randomState);
        }
        var differentiable = inputs.Where(t => t.requires_grad).Concat(recipe.Parameters).ToArray();
        var gradients = new Queue<Tensor>(autograd.grad([output], differentiable, [gradOutput], allow_unused: true));
        var result = new List<Tensor> { null! };
        result.AddRange(inputs.Select(t => t.requires_grad ? gradients.Dequeue() : null!));
        result.AddRange(recipe.Parameters.Select(_ => gradients.Dequeue()));
        foreach (var gradient in result.Where(g => g is not null)) handedOver.Add(gradient.DetachFromDisposeScope());
        gradOutput.Dispose();
        return result;
    }

    [ThreadStatic] private static List<Tensor>? handedOverStorage;
    private static List<Tensor> handedOver => handedOverStorage ??= [];

    /// <summary>Frees the gradients the previous backward returned: libtorch copied them when that call returned.</summary>
    private static void ReleaseHandedOver()
    {
        foreach (var tensor in handedOver) tensor.Dispose();
        handedOver.Clear();
    }
}
