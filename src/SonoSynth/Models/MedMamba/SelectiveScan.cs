using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// Mamba's selective scan (Gu &amp; Dao 2023, selective_scan_ref semantics) for G groups of D channels that share
/// their input-dependent B and C within a group (MedMamba's four scan directions are the groups):
///   h_t = exp(Δ_t A) ⊙ h_{t-1} + Δ_t u_t B_t,   y_t = C_t · h_t + D u_t,   h_0 = 0.
/// Shapes: u, Δ [N x G x D x L]; A [G x D x S] (negative); B, C [N x G x S x L]; D [G x D]; result [N x G x D x L].
/// Δ is used as given (softplus and bias are the caller's).
/// </summary>
public static class SelectiveScan
{
    // Largest within-chunk log-decay span whose exp(±span) stays well inside float32 (and whose products with
    // gradients stay normal numbers); the chunk length is chosen from the data so no chunk exceeds it.
    private const double MaxLogDecaySpan = 60.0;
    private const int MaxChunkLength = 64;

    /// <summary>
    /// Chunked scan: inside a chunk the states come in closed form from cumulative sums of the log-decays S,
    /// h_t = e^{S_t} (H_in + Σ_{s≤t} e^{-S_s} Δ_s u_s B_s), and only the chunk boundaries are stepped through
    /// sequentially. The chunk length is picked from the data so that no e^{±S} leaves float32's comfortable range.
    /// Exact up to float rounding (compare <see cref="Naive"/>); all directions and channels run batched.
    /// </summary>
    public static Tensor Chunked(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d)
    {
        using var scope = NewDisposeScope();
        long length = u.shape[3];
        var logDecay = delta.unsqueeze(3) * a.unsqueeze(0).unsqueeze(-1);            // [N,G,D,S,L], ≤ 0
        var drive = (delta * u).unsqueeze(3) * b.unsqueeze(2);                        // [N,G,D,S,L]
        var cOut = c.unsqueeze(2);                                                    // [N,G,1,S,L]

        var chunk = ChunkLength(logDecay, length);
        var padding = (chunk - length % chunk) % chunk;
        if (padding > 0)
        {
            // Zero log-decay and zero drive at the end change no earlier state.
            logDecay = nn.functional.pad(logDecay, [0, padding]);
            drive = nn.functional.pad(drive, [0, padding]);
            cOut = nn.functional.pad(cOut, [0, padding]);
        }
        var chunks = (length + padding) / chunk;
        long[] chunked = [.. logDecay.shape[..^1], chunks, chunk];
        logDecay = logDecay.reshape(chunked);
        drive = drive.reshape(chunked);

        // S_t = Σ_{j≤t} log-decay within the chunk, so e^{S_t - S_s} is the decay from step s to step t and
        // h_t = e^{S_t} (H_in + Σ_{s≤t} e^{-S_s} Δ_s u_s B_s), H_in being the state carried into the chunk.
        var cumulative = logDecay.cumsum(-1);
        var growth = cumulative.exp();
        // Single-step chunks (very steep decays) skip e^{-S}, which could overflow there.
        // drive / growth rather than drive * (1 / growth): autograd then keeps one big tensor fewer.
        var accumulated = chunk == 1 ? drive : (drive / growth).cumsum(-1);

        // Carry the state across chunk boundaries: H_c = e^{S_T} H_{c-1} + e^{S_T} Σ_s e^{-S_s} Δ_s u_s B_s.
        var last = TensorIndex.Single(-1);
        var chunkDecay = growth[TensorIndex.Ellipsis, last];                          // [N,G,D,S,chunks]
        var localEnd = chunk == 1 ? drive[TensorIndex.Ellipsis, last] : chunkDecay * accumulated[TensorIndex.Ellipsis, last];
        var carried = new List<Tensor>((int)chunks);
        var state = zeros_like(localEnd[TensorIndex.Ellipsis, 0]);
        for (long i = 0; i < chunks; i++)
        {
            carried.Add(state);
            state = chunkDecay[TensorIndex.Ellipsis, i] * state + localEnd[TensorIndex.Ellipsis, i];
        }
        var incoming = stack(carried, -1).unsqueeze(-1);                              // [N,G,D,S,chunks,1]
        var states = chunk == 1 ? drive + growth * incoming : growth * (accumulated + incoming);

        var flatStates = states.reshape([.. states.shape[..^2], chunks * chunk]);
        var y = (flatStates * cOut).sum(3);                                           // [N,G,D,L+pad]
        if (padding > 0) y = y[TensorIndex.Ellipsis, TensorIndex.Slice(0, length)];
        return (y + d.unsqueeze(0).unsqueeze(-1) * u).MoveToOuterDisposeScope();
    }

    private static long ChunkLength(Tensor logDecay, long length)
    {
        double steepest;
        using (no_grad()) steepest = (-logDecay).max().to_type(ScalarType.Float64).item<double>();
        long chunk = 1;
        while (chunk * 2 <= MaxChunkLength && chunk < length && chunk * 2 * steepest <= MaxLogDecaySpan)
            chunk *= 2;
        return chunk;
    }

    /// <summary>The recurrence one step at a time: the reference the chunked scan is tested against.</summary>
    public static Tensor Naive(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor d)
    {
        using var scope = NewDisposeScope();
        long batch = u.shape[0], groups = u.shape[1], channels = u.shape[2], length = u.shape[3], stateSize = a.shape[2];
        var state = zeros([batch, groups, channels, stateSize], dtype: u.dtype, device: u.device);
        var outputs = new List<Tensor>((int)length);
        for (long t = 0; t < length; t++)
        {
            var deltaT = delta[TensorIndex.Ellipsis, t].unsqueeze(-1);                 // [N,G,D,1]
            var decay = (deltaT * a.unsqueeze(0)).exp();
            var input = deltaT * u[TensorIndex.Ellipsis, t].unsqueeze(-1) * b[TensorIndex.Ellipsis, t].unsqueeze(2);
            state = decay * state + input;
            outputs.Add((state * c[TensorIndex.Ellipsis, t].unsqueeze(2)).sum(-1));
        }
        var y = stack(outputs, -1);
        return (y + d.unsqueeze(0).unsqueeze(-1) * u).MoveToOuterDisposeScope();
    }
}
