using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Memorisation;

/// <summary>Exact nearest neighbours by Euclidean distance, batched so large reference sets never make a full matrix.</summary>
public static class NearestNeighbours
{
    private const int QueryBlock = 256;
    private const int ReferenceBlock = 4096;

    /// <summary>
    /// For each row of <paramref name="queries"/> [Q x D], the index of and distance to its nearest row of
    /// <paramref name="references"/> [R x D]. Distances are computed in float64 so an exact copy comes out at 0
    /// (float32 ‖x‖² + ‖y‖² − 2x·y leaves ~1e-2 after the square root on 4096-pixel images).
    /// </summary>
    public static (double[] Distances, int[] Indices) Find(Tensor queries, Tensor references)
    {
        if (queries.shape[1] != references.shape[1])
            throw new ArgumentException($"Dimensions differ: {queries.shape[1]} and {references.shape[1]}.");
        long count = queries.shape[0];
        var distances = new double[count];
        var indices = new int[count];
        for (long start = 0; start < count; start += QueryBlock)
        {
            using var scope = NewDisposeScope();
            var block = queries.narrow(0, start, Math.Min(QueryBlock, count - start)).to_type(ScalarType.Float64);
            Tensor? best = null, bestIndex = null;
            for (long refStart = 0; refStart < references.shape[0]; refStart += ReferenceBlock)
            {
                long length = Math.Min(ReferenceBlock, references.shape[0] - refStart);
                var reference = references.narrow(0, refStart, length).to_type(ScalarType.Float64);
                var (values, positions) = cdist(block, reference).min(1);
                positions = positions + refStart;
                if (best is null) { best = values; bestIndex = positions; continue; }
                var better = values.lt(best);
                best = where(better, values, best);
                bestIndex = where(better, positions, bestIndex!);
            }
            var d = best!.data<double>().ToArray();
            var i = bestIndex!.data<long>().ToArray();
            for (int k = 0; k < d.Length; k++)
            {
                distances[start + k] = d[k];
                indices[start + k] = (int)i[k];
            }
        }
        return (distances, indices);
    }
}
