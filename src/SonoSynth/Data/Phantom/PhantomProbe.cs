namespace SonoSynth.Data.Phantom;

/// <summary>
/// One patient's scanning conditions: convex-probe sector geometry, overall gain, depth attenuation, speckle
/// strength. Shared by all of a patient's images, which is what makes a random (non-patient) split leak.
/// </summary>
internal sealed record PhantomProbe(double ApexY, double HalfAngle, double Depth, double Gain, double Attenuation,
    double SpeckleContrast, double NoiseLevel)
{
    public static PhantomProbe Draw(Random random) => new(
        ApexY: -0.05 - 0.12 * random.NextDouble(),
        HalfAngle: (34 + 12 * random.NextDouble()) * Math.PI / 180,
        Depth: 0.9 + 0.15 * random.NextDouble(),
        Gain: 0.85 + 0.35 * random.NextDouble(),
        Attenuation: 0.6 + 1.0 * random.NextDouble(),
        SpeckleContrast: 0.45 + 0.3 * random.NextDouble(),
        NoiseLevel: 0.01 + 0.03 * random.NextDouble());

    /// <summary>Near edge of the image below the apex: the probe face.</summary>
    public double MinRadius => -ApexY + 0.03;
    public double MaxRadius => MinRadius + Depth;
}
