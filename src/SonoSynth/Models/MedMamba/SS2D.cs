using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// MedMamba's SS2D (from VMamba): in_proj to x and gate z, depthwise 3x3 conv + SiLU on x, a selective scan along
/// four directions (row-major, column-major and both reversed) whose outputs are mapped back and summed, LayerNorm,
/// gating by SiLU(z), out_proj. Names follow MedMamba.py: in_proj, conv2d, x_proj_weight [4 x (R+2S) x Di],
/// dt_projs_weight [4 x Di x R], dt_projs_bias [4 x Di], A_logs [4Di x S], Ds [4Di], out_norm, out_proj.
/// </summary>
public sealed class SS2D : nn.Module<Tensor, Tensor>
{
    private const int Directions = 4;

    private readonly Linear in_proj, out_proj;
    private readonly Conv2d conv2d;
    private readonly Parameter x_proj_weight, dt_projs_weight, dt_projs_bias, A_logs, Ds;
    private readonly LayerNorm out_norm;
    private readonly long innerDim, stateSize, dtRank;

    public SS2D(long modelDim, long stateSize = 16, long expand = 2, double dtMin = 0.001, double dtMax = 0.1,
        double dtInitFloor = 1e-4) : base("SS2D")
    {
        this.stateSize = stateSize;
        innerDim = expand * modelDim;
        dtRank = (long)Math.Ceiling(modelDim / 16.0);

        in_proj = nn.Linear(modelDim, innerDim * 2, hasBias: false);
        conv2d = nn.Conv2d(innerDim, innerDim, 3, padding: 1, groups: innerDim, bias: true);

        // Four nn.Linear(Di, R+2S, bias=False) stacked, with nn.Linear's default init.
        x_proj_weight = new Parameter(empty(Directions, dtRank + 2 * stateSize, innerDim));
        dt_projs_weight = new Parameter(empty(Directions, innerDim, dtRank));
        dt_projs_bias = new Parameter(empty(Directions, innerDim));
        using (no_grad())
        {
            var bound = 1.0 / Math.Sqrt(innerDim);
            nn.init.uniform_(x_proj_weight, -bound, bound);
            // Mamba's dt init: weights U(±R^-½); bias = softplus⁻¹(dt), dt log-uniform in [dtMin, dtMax].
            var dtStd = Math.Pow(dtRank, -0.5);
            nn.init.uniform_(dt_projs_weight, -dtStd, dtStd);
            var dt = (rand(Directions, innerDim) * (Math.Log(dtMax) - Math.Log(dtMin)) + Math.Log(dtMin)).exp()
                .clamp_min(dtInitFloor);
            using var inverseSoftplus = dt + (-(-dt).expm1()).log();
            dt_projs_bias.copy_(inverseSoftplus); // named: the GC must not finalize the source during the native copy
        }
        // S4D-real init: A = -(1..S) for every channel, stored as log.
        A_logs = new Parameter(arange(1, stateSize + 1, dtype: ScalarType.Float32).log()
            .repeat(Directions * innerDim, 1));
        Ds = new Parameter(ones(Directions * innerDim));
        out_norm = nn.LayerNorm(innerDim);
        out_proj = nn.Linear(innerDim, modelDim, hasBias: false);
        RegisterComponents();
    }

    /// <param name="input">[N x H x W x C]</param>
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], height = input.shape[1], width = input.shape[2];
        long length = height * width;
        var xz = in_proj.call(input).chunk(2, -1);
        var x = nn.functional.silu(conv2d.call(xz[0].permute(0, 3, 1, 2)));           // [N, Di, H, W]

        var rowMajor = x.reshape(batch, innerDim, length);
        var columnMajor = x.transpose(2, 3).reshape(batch, innerDim, length);
        var forwardScans = stack([rowMajor, columnMajor], 1);                        // [N, 2, Di, L]
        var sequences = cat([forwardScans, forwardScans.flip(-1)], 1);               // [N, 4, Di, L]

        var projected = einsum("bkdl,kcd->bkcl", sequences, x_proj_weight);
        var parts = projected.split([dtRank, stateSize, stateSize], 2);
        var delta = einsum("bkrl,kdr->bkdl", parts[0], dt_projs_weight);
        var a = -A_logs.exp().view(Directions, innerDim, stateSize);
        var scanned = SelectiveScan.Apply(sequences, delta, a, parts[1], parts[2], Ds.view(Directions, innerDim),
            deltaBias: dt_projs_bias, deltaSoftplus: true);

        // Undo each direction's ordering and sum: reversed scans are flipped back, column-major ones transposed.
        var reversed = scanned[TensorIndex.Colon, TensorIndex.Slice(2, 4)].flip(-1);
        var fromColumns = scanned[TensorIndex.Colon, 1].view(batch, innerDim, width, height).transpose(2, 3)
            .reshape(batch, innerDim, length);
        var fromReversedColumns = reversed[TensorIndex.Colon, 1].view(batch, innerDim, width, height).transpose(2, 3)
            .reshape(batch, innerDim, length);
        var y = scanned[TensorIndex.Colon, 0] + reversed[TensorIndex.Colon, 0] + fromColumns + fromReversedColumns;

        y = out_norm.call(y.transpose(1, 2).reshape(batch, height, width, innerDim));
        return out_proj.call(y * nn.functional.silu(xz[1]));
    }
}
