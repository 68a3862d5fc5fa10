namespace SonoSynth.Diffusion.Generation;

/// <summary>
/// Per-image seeds derived from (run seed, round, class, index) with SplitMix64 mixing, so every image is reproducible
/// on its own: rerunning a partly finished job regenerates exactly the missing images.
/// </summary>
public static class ImageSeeds
{
    public static long For(long seed, int round, int classIndex, int index)
    {
        ulong state = (ulong)seed;
        state = Mix(state ^ (ulong)round);
        state = Mix(state ^ ((ulong)classIndex << 20));
        state = Mix(state ^ ((ulong)index << 8));
        return (long)(state & 0x7FFF_FFFF_FFFF_FFFF);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
