using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality;

/// <summary>Improved precision (fidelity) and recall (coverage) of a generated set against a real set.</summary>
public sealed record PrecisionRecallResult(double Precision, double Recall, int NeighbourCount);

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al. 2019). Each set's manifold is the union of balls around its
/// points whose radius is the distance to the k-th nearest other point of the same set. Precision = share of
/// generated points inside the real manifold; recall = share of real points inside the generated manifold.
/// </summary>
public static class PrecisionRecall
{
    public const int DefaultNeighbourCount = 3; // the paper's k

    // Rows per block of the pairwise-distance matrix, so 10k x 10k sets never materialise at once.
    private const int BlockRows = 1024;

    public static PrecisionRecallResult Compute(Tensor real, Tensor generated, int neighbourCount = DefaultNeighbourCount)
    {
        if (real.shape[1] != generated.shape[1])
            throw new ArgumentException($"Feature dimensions differ: {real.shape[1]} and {generated.shape[1]}.");
        if (real.shape[0] <= neighbourCount || generated.shape[0] <= neighbourCount)
            throw new ArgumentException($"Precision/recall with k={neighbourCount} needs more than {neighbourCount} images in each set.");
        using var scope = NewDisposeScope();
        var r = real.to_type(ScalarType.Float64).cpu();
        var g = generated.to_type(ScalarType.Float64).cpu();
        var realRadii = KthNeighbourRadii(r, neighbourCount);
        var generatedRadii = KthNeighbourRadii(g, neighbourCount);
        double precision = CoveredShare(g, r, realRadii);
        double recall = CoveredShare(r, g, generatedRadii);
        return new PrecisionRecallResult(precision, recall, neighbourCount);
    }

    /// <summary>Distance from each row to its k-th nearest other row of the same set, [N].</summary>
    public static Tensor KthNeighbourRadii(Tensor points, int neighbourCount)
    {
        var radii = new List<Tensor>();
        for (long start = 0; start < points.shape[0]; start += BlockRows)
        {
            using var block = NewDisposeScope();
            var rows = points.narrow(0, start, Math.Min(BlockRows, points.shape[0] - start));
            var distances = cdist(rows, points);
            // Index k of the sorted row: index 0 is the point itself (distance 0).
            var (values, _) = distances.topk(neighbourCount + 1, dim: 1, largest: false, sorted: true);
            radii.Add(values[.., neighbourCount].MoveToOuterDisposeScope());
        }
        return cat(radii, 0);
    }

    /// <summary>Share of <paramref name="queries"/> within radius of at least one of <paramref name="centres"/>.</summary>
    public static double CoveredShare(Tensor queries, Tensor centres, Tensor radii)
    {
        long covered = 0;
        for (long start = 0; start < queries.shape[0]; start += BlockRows)
        {
            using var block = NewDisposeScope();
            var rows = queries.narrow(0, start, Math.Min(BlockRows, queries.shape[0] - start));
            var inside = cdist(rows, centres).le(radii.unsqueeze(0)).any(1);
            covered += inside.sum().item<long>();
        }
        return (double)covered / queries.shape[0];
    }
}
