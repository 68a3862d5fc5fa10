using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SonoSynth.Models;

/// <summary>
/// The selective scan's arithmetic on the CPU, one sequence (image n, group g, channel d) at a time, with the S states
/// of the sequence in SIMD registers and the sequences spread over threads:
///   h_t = exp(Δ_t A) ⊙ h_{t-1} + Δ_t u_t B_t,   y_t = C_t · h_t + D u_t,   h_{-1} = 0.
/// The backward pass recomputes one sequence's states into a per-thread buffer of L x P floats (it stays in the
/// core's cache) and runs the adjoint recurrence λ_t = dy_t C_t + exp(Δ_{t+1} A) ⊙ λ_{t+1} backwards in time, so no
/// tensor of states is ever allocated. Layouts, all float32 and contiguous:
///   u, Δ, y, dy [N x G x D x L]; A [G x D x P]; B, C [N x G x L x P] (time-major: one time step's states are
///   contiguous); D [G x D] or null.
/// P is S rounded up to a multiple of Vector&lt;float&gt;.Count; the padded lanes of A, B and C are zero, so their
/// states stay zero and contribute nothing.
/// </summary>
internal static unsafe class SelectiveScanKernel
{
    public readonly record struct Shape(int Batch, int Groups, int Channels, int Length, int PaddedStates)
    {
        public long SequenceCount => (long)Batch * Groups * Channels;
    }

    /// <summary>Pointers of the forward pass (nint so lambdas can carry them).</summary>
    public readonly record struct ForwardBuffers(nint U, nint Delta, nint A, nint B, nint C, nint D, nint Y);

    /// <summary>
    /// Pointers of the backward pass. Outputs: dU, dΔ [N x G x D x L]; dA per image [N x G x D x P]; dD per image
    /// [N x G x D] (when D is given); dB, dC [N x G x blocks x L x P], one slice per channel block, zero on entry.
    /// </summary>
    public readonly record struct BackwardBuffers(nint U, nint Delta, nint A, nint B, nint C, nint D, nint GradY,
        nint GradU, nint GradDelta, nint GradAPerImage, nint GradB, nint GradC, nint GradDPerImage);

    /// <summary>How many channel blocks each (image, group) is split into so that every thread has work.</summary>
    public static int ChannelBlocks(Shape shape, int threads)
    {
        long pairs = (long)shape.Batch * shape.Groups;
        long wanted = 4L * threads;
        return pairs >= wanted ? 1 : (int)Math.Min(shape.Channels, (wanted + pairs - 1) / pairs);
    }

    public static void Forward(Shape shape, ForwardBuffers buffers, int threads)
    {
        int blocks = ChannelBlocks(shape, threads);
        Parallel.For(0, shape.Batch * shape.Groups * blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, item =>
        {
            int pair = item / blocks, block = item % blocks;
            int group = pair % shape.Groups;
            var (first, end) = BlockRange(shape.Channels, blocks, block);
            for (int channel = first; channel < end; channel++)
                ForwardSequence(shape, buffers, pair, group, channel);
        });
    }

    private static void ForwardSequence(Shape shape, ForwardBuffers buffers, int pair, int group, int channel)
    {
        int length = shape.Length, padded = shape.PaddedStates, width = Vector<float>.Count, vectors = padded / width;
        long sequence = (long)pair * shape.Channels + channel;
        float* u = (float*)buffers.U + sequence * length, delta = (float*)buffers.Delta + sequence * length;
        float* y = (float*)buffers.Y + sequence * length;
        float* a = (float*)buffers.A + ((long)group * shape.Channels + channel) * padded;
        float* b = (float*)buffers.B + (long)pair * length * padded, c = (float*)buffers.C + (long)pair * length * padded;
        float skip = buffers.D == 0 ? 0f : ((float*)buffers.D)[(long)group * shape.Channels + channel];

        if (vectors == 2)
        {
            // S = 16 with 8-wide vectors (MedMamba): states and A stay in registers.
            Vector<float> a0 = Vector.Load(a), a1 = Vector.Load(a + width), h0 = Vector<float>.Zero, h1 = Vector<float>.Zero;
            for (int t = 0; t < length; t++)
            {
                float deltaT = delta[t], drive = deltaT * u[t];
                float* bt = b + (long)t * padded, ct = c + (long)t * padded;
                h0 = Vector.FusedMultiplyAdd(Exp(a0 * deltaT), h0, new Vector<float>(drive) * Vector.Load(bt));
                h1 = Vector.FusedMultiplyAdd(Exp(a1 * deltaT), h1, new Vector<float>(drive) * Vector.Load(bt + width));
                y[t] = Vector.Sum(Vector.FusedMultiplyAdd(h1, Vector.Load(ct + width), h0 * Vector.Load(ct))) + skip * u[t];
            }
            return;
        }

        Span<Vector<float>> state = stackalloc Vector<float>[vectors];
        state.Clear();
        for (int t = 0; t < length; t++)
        {
            float deltaT = delta[t];
            var drive = new Vector<float>(deltaT * u[t]);
            float* bt = b + (long)t * padded, ct = c + (long)t * padded;
            var output = Vector<float>.Zero;
            for (int k = 0; k < vectors; k++)
            {
                int offset = k * width;
                state[k] = Vector.FusedMultiplyAdd(Exp(Vector.Load(a + offset) * deltaT), state[k], drive * Vector.Load(bt + offset));
                output = Vector.FusedMultiplyAdd(state[k], Vector.Load(ct + offset), output);
            }
            y[t] = Vector.Sum(output) + skip * u[t];
        }
    }

    public static void Backward(Shape shape, BackwardBuffers buffers, int blocks, int threads)
    {
        int length = shape.Length, padded = shape.PaddedStates;
        Parallel.For(0, shape.Batch * shape.Groups * blocks, new ParallelOptions { MaxDegreeOfParallelism = threads },
            // Per thread: the states h_{-1..L-1} and the decays exp(Δ_t A) of the sequence being differentiated.
            () => (nint)NativeMemory.AlignedAlloc((nuint)((2L * length + 1) * padded * sizeof(float)), 64),
            (item, _, scratch) =>
            {
                int pair = item / blocks, block = item % blocks;
                int group = pair % shape.Groups;
                var (first, end) = BlockRange(shape.Channels, blocks, block);
                float* states = (float*)scratch, decays = states + (long)(length + 1) * padded;
                for (int channel = first; channel < end; channel++)
                    BackwardSequence(shape, buffers, pair, group, channel, block, blocks, states, decays);
                return scratch;
            },
            scratch => NativeMemory.AlignedFree((void*)scratch));
    }

    private static void BackwardSequence(Shape shape, BackwardBuffers buffers, int pair, int group, int channel,
        int block, int blocks, float* states, float* decays)
    {
        int length = shape.Length, padded = shape.PaddedStates, width = Vector<float>.Count, vectors = padded / width;
        long sequence = (long)pair * shape.Channels + channel;
        long parameterRow = (long)group * shape.Channels + channel;
        float* u = (float*)buffers.U + sequence * length, delta = (float*)buffers.Delta + sequence * length;
        float* gradY = (float*)buffers.GradY + sequence * length;
        float* gradU = (float*)buffers.GradU + sequence * length, gradDelta = (float*)buffers.GradDelta + sequence * length;
        float* a = (float*)buffers.A + parameterRow * padded;
        float* b = (float*)buffers.B + (long)pair * length * padded, c = (float*)buffers.C + (long)pair * length * padded;
        long blockSlice = ((long)pair * blocks + block) * length * padded;
        float* gradB = (float*)buffers.GradB + blockSlice, gradC = (float*)buffers.GradC + blockSlice;
        float* gradA = (float*)buffers.GradAPerImage + sequence * padded;
        float skip = buffers.D == 0 ? 0f : ((float*)buffers.D)[parameterRow];

        // Forward again, keeping h_t (at row t+1; row 0 is h_{-1} = 0) and exp(Δ_t A) (at row t).
        for (int k = 0; k < vectors; k++) Vector<float>.Zero.Store(states + k * width);
        for (int t = 0; t < length; t++)
        {
            float deltaT = delta[t];
            var drive = new Vector<float>(deltaT * u[t]);
            float* bt = b + (long)t * padded, previous = states + (long)t * padded, current = previous + padded;
            float* decay = decays + (long)t * padded;
            for (int k = 0; k < vectors; k++)
            {
                int offset = k * width;
                var decayT = Exp(Vector.Load(a + offset) * deltaT);
                decayT.Store(decay + offset);
                Vector.FusedMultiplyAdd(decayT, Vector.Load(previous + offset), drive * Vector.Load(bt + offset)).Store(current + offset);
            }
        }

        // Backwards in time. λ holds exp(Δ_{t+1} A) ⊙ λ_{t+1} on entry to step t.
        Span<Vector<float>> adjoint = stackalloc Vector<float>[vectors];
        Span<Vector<float>> gradAAccumulated = stackalloc Vector<float>[vectors];
        adjoint.Clear();
        gradAAccumulated.Clear();
        float gradSkip = 0f;
        for (int t = length - 1; t >= 0; t--)
        {
            float dy = gradY[t], deltaT = delta[t], uT = u[t];
            gradSkip += dy * uT;
            var dyVector = new Vector<float>(dy);
            var drive = new Vector<float>(deltaT * uT);
            var deltaVector = new Vector<float>(deltaT);
            float* bt = b + (long)t * padded, ct = c + (long)t * padded;
            float* gradBt = gradB + (long)t * padded, gradCt = gradC + (long)t * padded;
            float* previous = states + (long)t * padded, current = previous + padded, decay = decays + (long)t * padded;
            var adjointDotB = Vector<float>.Zero;   // Σ_s λ_s B_s
            var decayTerm = Vector<float>.Zero;     // Σ_s λ_s exp(Δ A_s) h_{t-1,s} A_s
            for (int k = 0; k < vectors; k++)
            {
                int offset = k * width;
                var lambda = Vector.FusedMultiplyAdd(dyVector, Vector.Load(ct + offset), adjoint[k]);
                Vector.FusedMultiplyAdd(dyVector, Vector.Load(current + offset), Vector.Load(gradCt + offset)).Store(gradCt + offset);
                Vector.FusedMultiplyAdd(lambda, drive, Vector.Load(gradBt + offset)).Store(gradBt + offset);
                adjointDotB = Vector.FusedMultiplyAdd(lambda, Vector.Load(bt + offset), adjointDotB);
                var decayT = Vector.Load(decay + offset);
                var fromPrevious = lambda * decayT * Vector.Load(previous + offset);
                gradAAccumulated[k] = Vector.FusedMultiplyAdd(fromPrevious, deltaVector, gradAAccumulated[k]);
                decayTerm = Vector.FusedMultiplyAdd(fromPrevious, Vector.Load(a + offset), decayTerm);
                adjoint[k] = lambda * decayT;
            }
            float lambdaB = Vector.Sum(adjointDotB);
            gradU[t] = deltaT * lambdaB + skip * dy;
            gradDelta[t] = uT * lambdaB + Vector.Sum(decayTerm);
        }
        for (int k = 0; k < vectors; k++) gradAAccumulated[k].Store(gradA + k * width);
        if (buffers.GradDPerImage != 0) ((float*)buffers.GradDPerImage)[sequence] = gradSkip;
    }

    private static (int First, int End) BlockRange(int channels, int blocks, int block) =>
        ((int)((long)channels * block / blocks), (int)((long)channels * (block + 1) / blocks));

    // e^x in float32, elementwise: x = n ln2 + r with |r| ≤ ln2/2, e^r from its Taylor series to r^7 (truncation
    // below 1e-8 relative), times 2^n built in the exponent bits. Arguments are clamped to [-87.3, 88]: below, the
    // result is about 1e-38 instead of a denormal or 0; above, float32 overflows anyway. Constants are written
    // inline (not static fields) so the JIT folds them and the hot loops need no class-initialisation checks.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.MinNative(Vector.MaxNative(x, new Vector<float>(-87.3f)), new Vector<float>(88f));
        // Adding 1.5·2^23 rounds x·log2(e) to the nearest integer n, which then sits in the low mantissa bits.
        var roundingShift = new Vector<float>(12582912f);
        var shifted = Vector.FusedMultiplyAdd(x, new Vector<float>(1.44269504f), roundingShift);
        var n = shifted - roundingShift;
        var r = Vector.FusedMultiplyAdd(n, new Vector<float>(-0.693359375f), x);
        r = Vector.FusedMultiplyAdd(n, new Vector<float>(2.12194440e-4f), r);
        var p = Vector.FusedMultiplyAdd(r, new Vector<float>(1f / 5040f), new Vector<float>(1f / 720f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 120f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 24f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(1f / 6f));
        p = Vector.FusedMultiplyAdd(p, r, new Vector<float>(0.5f));
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        p = Vector.FusedMultiplyAdd(p, r, Vector<float>.One);
        var integer = Vector.AsVectorInt32(shifted) - Vector.AsVectorInt32(roundingShift);
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(integer + new Vector<int>(127), 23));
        return p * scale;
    }
}
