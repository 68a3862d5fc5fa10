using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// Mamba's selective scan (Gu &amp; Dao 2023, selective_scan_ref semantics) for G groups of D channels that share
/// their input-dependent B and C within a group (MedMamba's four scan directions are the groups):
///   Δ ← softplus(Δ + Δ_bias) (each optional),  h_t = exp(Δ_t A) ⊙ h_{t-1} + Δ_t u_t B_t,  h_{-1} = 0,
///   y_t = C_t · h_t + D u_t,  out_t = y_t · SiLU(z_t) (D and z optional).
/// Shapes: u, Δ, z [N x G x D x L]; A [G x D x S] (negative); B, C [N x G x S x L]; D, Δ_bias [G x D]; result
/// [N x G x D x L]. (Mamba's [N x (G·D) x L] layout is the same memory.)
/// </summary>
public static class SelectiveScan
{
    /// <summary>
    /// The scan with gradients, by the fastest exact path for the device: on the CPU in float32, the fused kernel
    /// (<see cref="FusedSelectiveScan"/>: no state tensor at all); elsewhere (CUDA, float64) the batched tensor path
    /// (<see cref="Chunked"/> under <see cref="RecomputedSelectiveScan"/>: O(N·G·D·S·L) states, rebuilt in backward).
    /// </summary>
    public static Tensor Apply(Tensor u, Tensor delta, Tensor a, Tensor b, Tensor c, Tensor? d = null, Tensor? z = null,
        Tensor? deltaBias = null, bool deltaSoftplus = false)
    {
        using var scope = NewDisposeScope();
        if (deltaBias is not null) delta = delta + deltaBias.unsqueeze(0).unsqueeze(-1);
        if (deltaSoftplus) delta = nn.functional.softplus(delta);
        var y = u.device_type == DeviceType.CPU && u.dtype == ScalarType.Float32
            ? FusedSelectiveScan.Apply(u, delta, a, b, c, d)
            : RecomputedSelectiveScan.Apply(u, delta, a, b, c, d ?? zeros(a.shape[0], a.shape[1], dtype: u.dtype, device: u.device));
        if (z is not null) y = y * nn.functional.silu(z);
        return y.MoveToOuterDisposeScope();
    }

    // Largest within-chunk log-decay span whose exp(±span) stays well inside float32 (and whose products with
    // gradients stay normal numbers); the chunk length is chosen from the data so no chunk exceeds it.
    private const double MaxLogDecaySpan = 60.0;
    private const int MaxChunkLength = 64;

    /// <summary>
    /// Chunked scan: inside a chunk the states come in closed form from cumulative sums of the log-decays S,
    /// h_t = e^{S_t} (H_in + Σ_{s≤t} e^{-S_s} Δ_s u_s B_s), and only the chunk boundaries are stepped through
    /// sequentially. The chunk length is picked from the data so that no e^{±S} leaves float32's comfortable range.
    /// Exact up to float rounding (tests compare it with the step-by-step reference); all directions and channels run
    /// batched. Shapes as <see cref="Apply"/>, Δ used as given, D required.
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
}
