using System.Numerics;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// The selective scan as one autograd node on the CPU: <see cref="SelectiveScanKernel"/> forward, and its
/// hand-written reverse scan as the backward. It keeps only its inputs for the backward pass, never the states, so
/// memory is O(N·G·D·L) however long the sequence or steep the decays. float32 on the CPU only.
/// </summary>
public sealed class FusedSelectiveScan : autograd.SingleTensorFunction<FusedSelectiveScan>
{
    public override string Name => nameof(FusedSelectiveScan);

    /// <summary>
    /// y = scan(u, Δ, A, B, C) + D u. Shapes: u, Δ [N x G x D x L]; A [G x D x S]; B, C [N x G x S x L];
    /// D [G x D] or null. Δ is used as given.
    /// </summary>
    public static Tensor Apply(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor? d) =>
        apply(u, delta, a, b, c, d!);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (u, delta, a, b, c, d) = Unpack(vars);
        ctx.save_for_backward([u, delta, a, b, c, d!]);
        using var scope = NewDisposeScope();
        var inputs = KernelInputs.Prepare(u, delta, a, b, c, d);
        var y = empty_like(inputs.U);
        SelectiveScanKernel.Forward(inputs.Shape, new SelectiveScanKernel.ForwardBuffers(
            Address(inputs.U), Address(inputs.Delta), Address(inputs.A), Address(inputs.B), Address(inputs.C),
            inputs.D is null ? 0 : Address(inputs.D), Address(y)), Threads);
        return y.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var (u, delta, a, b, c, d) = Unpack([.. ctx.get_saved_variables()]);
        var inputs = KernelInputs.Prepare(u, delta, a, b, c, d);
        var shape = inputs.Shape;
        int blocks = SelectiveScanKernel.ChannelBlocks(shape, Threads);
        var gradY = gradOutput.to_type(ScalarType.Float32).contiguous();
        var gradU = empty_like(inputs.U);
        var gradDelta = empty_like(inputs.U);
        var gradAPerImage = empty([shape.Batch, shape.Groups, shape.Channels, shape.PaddedStates]);
        var gradB = zeros([shape.Batch, shape.Groups, blocks, shape.Length, shape.PaddedStates]);
        var gradC = zeros([shape.Batch, shape.Groups, blocks, shape.Length, shape.PaddedStates]);
        var gradDPerImage = d is null ? null : empty([shape.Batch, shape.Groups, shape.Channels]);
        SelectiveScanKernel.Backward(shape, new SelectiveScanKernel.BackwardBuffers(
            Address(inputs.U), Address(inputs.Delta), Address(inputs.A), Address(inputs.B), Address(inputs.C),
            inputs.D is null ? 0 : Address(inputs.D), Address(gradY), Address(gradU), Address(gradDelta),
            Address(gradAPerImage), Address(gradB), Address(gradC), gradDPerImage is null ? 0 : Address(gradDPerImage)),
            blocks, Threads);

        long states = a.shape[2];
        var stateSlice = TensorIndex.Slice(0, states);
        // Per-image and per-block partial sums, then back from the time-major, padded layout.
        Tensor FromTimeMajor(Tensor perBlock) => perBlock.sum(2)[TensorIndex.Ellipsis, stateSlice].transpose(2, 3);
        List<Tensor> gradients =
        [
            gradU, gradDelta, gradAPerImage.sum(dim: 0)[TensorIndex.Ellipsis, stateSlice], FromTimeMajor(gradB),
            FromTimeMajor(gradC), gradDPerImage?.sum(dim: 0)!,
        ];
        foreach (var gradient in gradients) gradient?.MoveToOuterDisposeScope();
        return gradients;
    }

    private static int Threads => Math.Max(1, torch.get_num_threads());

    private static (Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor? D) Unpack(object?[] vars) =>
        ((Tensor)vars[0]!, (Tensor)vars[1]!, (Tensor)vars[2]!, (Tensor)vars[3]!, (Tensor)vars[4]!, vars[5] as Tensor);

    private static unsafe nint Address(Tensor contiguous) =>
        (nint)Unsafe.AsPointer(ref contiguous.bytes.GetPinnableReference());

    /// <summary>The kernel's layouts: contiguous float32; A, B, C padded with zero states to whole vectors; B, C time-major.</summary>
    private sealed record KernelInputs(SelectiveScanKernel.Shape Shape, Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor? D)
    {
        public static KernelInputs Prepare(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor? d)
        {
            if (u.device_type != DeviceType.CPU || u.dtype != ScalarType.Float32)
                throw new ArgumentException($"The fused selective scan runs on float32 CPU tensors, not {u.dtype} on {u.device}; use SelectiveScan.Apply, which picks the path.");
            long states = a.shape[2];
            int width = Vector<float>.Count;
            long padding = (width - states % width) % width;
            Tensor Padded(Tensor t) => padding == 0 ? t : nn.functional.pad(t, [0, padding]);
            var shape = new SelectiveScanKernel.Shape(checked((int)u.shape[0]), checked((int)u.shape[1]),
                checked((int)u.shape[2]), checked((int)u.shape[3]), checked((int)(states + padding)));
            return new KernelInputs(shape, u.contiguous(), delta.contiguous(), Padded(a).contiguous(),
                Padded(b.transpose(2, 3)).contiguous(), Padded(c.transpose(2, 3)).contiguous(), d?.contiguous());
        }
    }
}
