using System.Runtime.CompilerServices;
using SonoSynth.Models;
using SonoSynth.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

/// <summary>
/// Both scan paths against the step-by-step reference in float64 (selective_scan_ref semantics, computed by
/// Fixtures/selective_scan_reference.py with Debian's python3-torch; its docstring says how to regenerate).
/// </summary>
public class SelectiveScanTests
{
    private static readonly Lazy<NpzFile> Reference = new(() => NpzFile.Read(FixturePath()));

    private static string FixturePath([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Fixtures", "selective_scan_reference.npz");

    private sealed record Case(Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor? D, Tensor? Z, Tensor? DeltaBias,
        bool Softplus, Tensor Weights)
    {
        public Tensor[] Differentiable => new[] { U, Delta, A, B, C, D, Z, DeltaBias }.OfType<Tensor>().ToArray();
    }

    private static readonly string[] Fields = ["u", "delta", "A", "B", "C", "D", "z", "delta_bias"];

    /// <summary>One case in this library's grouped shapes ([N x G x D x L] from Mamba's [N x (G·D) x L]), as leaves.</summary>
    private static Case Load(string name, ScalarType dtype)
    {
        var arrays = Reference.Value.Arrays;
        long groups = arrays[$"{name}/B"].shape[1], batch = arrays[$"{name}/u"].shape[0], length = arrays[$"{name}/u"].shape[2];
        long channels = arrays[$"{name}/u"].shape[1] / groups;
        Tensor? Get(string field, params long[] shape) => arrays.TryGetValue($"{name}/{field}", out var t)
            ? t.to_type(dtype).reshape(shape).requires_grad_() : null;
        var stateCount = arrays[$"{name}/A"].shape[1];
        return new Case(Get("u", batch, groups, channels, length)!, Get("delta", batch, groups, channels, length)!,
            Get("A", groups, channels, stateCount)!, Get("B", batch, groups, stateCount, length)!,
            Get("C", batch, groups, stateCount, length)!, Get("D", groups, channels), Get("z", batch, groups, channels, length),
            Get("delta_bias", groups, channels), arrays[$"{name}/softplus"].item<double>() != 0,
            arrays[$"{name}/weights"].to_type(dtype).reshape(batch, groups, channels, length));
    }

    private static Tensor Expected(string name, string field, Tensor like) =>
        Reference.Value.Arrays[$"{name}/{field}"].reshape(like.shape);

    /// <summary>Largest |actual − expected| over the largest |expected| (at least 1): a scale-free error.</summary>
    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>() /
        Math.Max(1.0, expected.abs().max().item<double>());

    // shallow: |ΔA| ≈ 0.02 per step; steep: ΔA down to −120 per step, no D, z, bias or softplus; mixed: MedMamba's
    // 16 states and 4 groups, decays from 0.01 to 30; long: 130 steps with Mamba's initial A and Δ. Lengths 37, 33 and
    // 130 are no multiple of the chunk lengths (powers of two) or of the vector width.
    public static TheoryData<string> Cases => ["shallow", "steep", "mixed", "long"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedCpuScanMatchesTheReferenceForwardAndGradients(string name) =>
        AssertMatchesReference(name, ScalarType.Float32, 1e-5);

    // The batched path (the one CUDA uses) in float64; the reference file holds float32-rounded values (6e-8).
    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchedScanMatchesTheReferenceForwardAndGradients(string name) =>
        AssertMatchesReference(name, ScalarType.Float64, 1e-6);

    private static void AssertMatchesReference(string name, ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var inputs = Load(name, dtype);
        var output = SelectiveScan.Apply(inputs.U, inputs.Delta, inputs.A, inputs.B, inputs.C, inputs.D, inputs.Z,
            inputs.DeltaBias, inputs.Softplus);
        var error = RelativeError(output, Expected(name, "out", output));
        Assert.True(error <= tolerance, $"{name}: output differs by {error:E2} (relative to its largest value)");

        (output * inputs.Weights).sum().backward();
        var fields = Fields.Where(f => Reference.Value.Arrays.ContainsKey($"{name}/grad_{f}")).ToArray();
        var leaves = inputs.Differentiable;
        Assert.Equal(fields.Length, leaves.Length);
        for (int i = 0; i < fields.Length; i++)
        {
            var gradError = RelativeError(leaves[i].grad!, Expected(name, "grad_" + fields[i], leaves[i]));
            Assert.True(gradError <= tolerance, $"{name}: gradient of {fields[i]} differs by {gradError:E2}");
        }
    }

    [Fact]
    public void SingleStepMatchesTheClosedFormOnBothPaths()
    {
        // One step from h = 0: h = Δ u B, so y = Δ u (B·C) + D u. With Δ=0.5, u=2, B=(1,2), C=(3,-1), D=0.25:
        // y = 0.5*2*(3-2) + 0.5 = 1.5.
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var u = full(1, 1, 1, 1, 2.0, dtype: dtype);
            var delta = full(1, 1, 1, 1, 0.5, dtype: dtype);
            var a = full(1, 1, 2, -1.0, dtype: dtype);
            var b = tensor(new[] { 1.0, 2.0 }, dtype: dtype).view(1, 1, 2, 1);
            var c = tensor(new[] { 3.0, -1.0 }, dtype: dtype).view(1, 1, 2, 1);
            var d = full(1, 1, 0.25, dtype: dtype);
            Assert.Equal(1.5, SelectiveScan.Apply(u, delta, a, b, c, d).to_type(ScalarType.Float64).item<double>(), 6);
        }
    }

    [Fact]
    public void FusedScanGivesTheSameResultForAnyThreadCount()
    {
        // Work is split differently with 1 and 2 threads (channel blocks with partial sums of dB and dC).
        var threads = get_num_threads();
        try
        {
            var results = new[] { 1, 2 }.Select(count =>
            {
                set_num_threads(count);
                var inputs = Load("mixed", ScalarType.Float32);
                var output = SelectiveScan.Apply(inputs.U, inputs.Delta, inputs.A, inputs.B, inputs.C, inputs.D, inputs.Z,
                    inputs.DeltaBias, inputs.Softplus);
                (output * inputs.Weights).sum().backward();
                return (Output: output.detach(), GradB: inputs.B.grad!, GradA: inputs.A.grad!);
            }).ToArray();
            Assert.True(results[0].Output.allclose(results[1].Output, rtol: 0, atol: 0));
            Assert.True(results[0].GradB.allclose(results[1].GradB, rtol: 1e-6, atol: 1e-6));
            Assert.True(results[0].GradA.allclose(results[1].GradA, rtol: 0, atol: 0));
        }
        finally
        {
            set_num_threads(threads);
        }
    }
}
