namespace SonoSynth.Quality.Memorisation;

/// <summary>Summary of nearest-neighbour distances: sorted values, percentiles (numpy's linear interpolation) and ranks.</summary>
public sealed class DistanceDistribution
{
    private readonly double[] sorted;

    public DistanceDistribution(IEnumerable<double> distances)
    {
        sorted = distances.OrderBy(d => d).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("A distance distribution needs at least one value.");
    }

    public IReadOnlyList<double> Sorted => sorted;
    public int Count => sorted.Length;

    /// <summary>np.percentile(values, percent) with the default 'linear' method.</summary>
    public double Percentile(double percent)
    {
        double position = percent / 100.0 * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>Share of values ≤ <paramref name="distance"/> (empirical CDF), in [0,1].</summary>
    public double ShareAtOrBelow(double distance)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sorted[middle] <= distance) low = middle + 1; else high = middle;
        }
        return (double)low / sorted.Length;
    }
}
