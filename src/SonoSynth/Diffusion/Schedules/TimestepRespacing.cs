using System.Globalization;

namespace SonoSynth.Diffusion.Schedules;

/// <summary>
/// Which of the original T timesteps a shortened sampler visits (guided-diffusion's space_timesteps).
/// "250" keeps 250 evenly spread steps; "10,15,20" splits [0,T) into three equal sections taking 10, 15 and 20
/// evenly spread steps from each; "ddim50" takes range(0, T, stride) with the stride that gives exactly 50 steps.
/// </summary>
public static class TimestepRespacing
{
    /// <summary>The kept original timesteps, ascending. An empty spec keeps all T.</summary>
    public static int[] Select(int timestepCount, string spec)
    {
        if (timestepCount < 1) throw new ArgumentException($"The schedule needs at least 1 timestep; got {timestepCount}.");
        spec = spec.Trim();
        if (spec.Length == 0) return Enumerable.Range(0, timestepCount).ToArray();
        if (spec.StartsWith("ddim", StringComparison.OrdinalIgnoreCase))
            return SelectDdim(timestepCount, ParseCount(spec[4..], spec));

        var sectionCounts = spec.Split(',').Select(part => ParseCount(part, spec)).ToArray();
        int sizePerSection = timestepCount / sectionCounts.Length, extra = timestepCount % sectionCounts.Length;
        var kept = new SortedSet<int>();
        int start = 0;
        for (int section = 0; section < sectionCounts.Length; section++)
        {
            int size = sizePerSection + (section < extra ? 1 : 0), count = sectionCounts[section];
            if (size < count)
                throw new ArgumentException($"Respacing '{spec}': cannot take {count} steps from a section of {size} timesteps.");
            double stride = count <= 1 ? 1 : (size - 1) / (double)(count - 1);
            double position = 0;
            for (int i = 0; i < count; i++)
            {
                // Python's round() is round-half-to-even, like Math.Round's default.
                kept.Add(start + (int)Math.Round(position));
                position += stride;
            }
            start += size;
        }
        return kept.ToArray();
    }

    private static int[] SelectDdim(int timestepCount, int desired)
    {
        for (int stride = 1; stride < timestepCount; stride++)
            if ((timestepCount + stride - 1) / stride == desired)
                return Enumerable.Range(0, (timestepCount + stride - 1) / stride).Select(i => i * stride).ToArray();
        throw new ArgumentException($"Respacing 'ddim{desired}': no integer stride gives exactly {desired} of {timestepCount} steps. " +
            "Choose a count such as 10, 25, 50, 100, 250, or use a plain count like \"50\".");
    }

    private static int ParseCount(string text, string spec) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count :
            throw new ArgumentException($"Respacing '{spec}' is not valid: use a step count (\"250\"), sections (\"10,15,20\") or \"ddimN\".");
}
