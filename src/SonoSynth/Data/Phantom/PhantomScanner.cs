namespace SonoSynth.Data.Phantom;

/// <summary>
/// Forms a B-mode-like image from an echogenicity map: a fan-shaped convex-probe sector on black, acoustic shadows
/// behind bone (transmission falls with the bone crossed along each beam from the apex), depth attenuation with a
/// partial time-gain compensation, multiplicative Rayleigh speckle, electronic noise and log-like compression.
/// </summary>
internal static class PhantomScanner
{
    private const double ShadowStrength = 60; // per unit of bone path length: a 0.03-thick bone passes ~17%
    private const double BrightSurfaceDepth = 0.02;

    public static byte[] Scan(PhantomCanvas canvas, PhantomProbe probe, Random random)
    {
        int size = canvas.Size;
        double apexX = 0.5, apexY = probe.ApexY;
        var boneBeforeRadius = BoneAlongBeams(canvas, probe, out int angleBins, out int radiusBins, out double radiusStep);
        var speckle = Speckle(size, random);
        var pixels = new byte[size * size];
        for (int y = 0; y < size; y++)
        {
            double v = (y + 0.5) / size - apexY;
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size - apexX;
                double radius = Math.Sqrt(u * u + v * v), angle = Math.Atan2(u, v);
                // Soft sector border (about one pixel), like the scan-converted edge of a real fan.
                double inside = Math.Min(Math.Min((probe.HalfAngle - Math.Abs(angle)) * radius, radius - probe.MinRadius),
                    probe.MaxRadius - radius) * size;
                if (inside <= -0.5) continue;
                double edge = Math.Clamp(inside + 0.5, 0, 1);
                int angleBin = Math.Clamp((int)((angle + probe.HalfAngle) / (2 * probe.HalfAngle) * angleBins), 0, angleBins - 1);
                // Look up the bone crossed a little before this depth, so a bone's own front surface stays bright.
                int radiusBin = Math.Clamp((int)((radius - BrightSurfaceDepth) / radiusStep), 0, radiusBins - 1);
                double transmission = Math.Exp(-ShadowStrength * boneBeforeRadius[angleBin * radiusBins + radiusBin]);
                double depth = radius - probe.MinRadius;
                double attenuation = Math.Exp(-probe.Attenuation * depth) * (1 + 0.5 * probe.Attenuation * depth); // TGC half-compensates
                int i = y * size + x;
                double echo = Math.Max(0, canvas.Echo[i]) * transmission * attenuation;
                double speckled = echo * (1 + probe.SpeckleContrast * (speckle[i] - 1));
                double noisy = speckled + probe.NoiseLevel * Gaussian(random);
                double compressed = probe.Gain * Math.Pow(Math.Max(0, noisy), 0.8);
                pixels[i] = (byte)Math.Round(Math.Clamp(compressed * edge, 0, 1) * 255);
            }
        }
        return pixels;
    }

    /// <summary>Bone path length crossed by each beam before each radius (exclusive prefix sums on a polar grid).</summary>
    private static double[] BoneAlongBeams(PhantomCanvas canvas, PhantomProbe probe, out int angleBins, out int radiusBins, out double radiusStep)
    {
        int size = canvas.Size;
        angleBins = 2 * size;
        radiusBins = (int)Math.Ceiling(probe.MaxRadius * size) + 2;
        radiusStep = probe.MaxRadius / (radiusBins - 2);
        var before = new double[angleBins * radiusBins];
        for (int a = 0; a < angleBins; a++)
        {
            double angle = -probe.HalfAngle + (a + 0.5) / angleBins * 2 * probe.HalfAngle;
            double sin = Math.Sin(angle), cos = Math.Cos(angle), sum = 0;
            for (int r = 0; r < radiusBins; r++)
            {
                before[a * radiusBins + r] = sum;
                double radius = (r + 0.5) * radiusStep;
                int x = (int)Math.Floor((0.5 + radius * sin) * size), y = (int)Math.Floor((probe.ApexY + radius * cos) * size);
                if (x >= 0 && x < size && y >= 0 && y < size) sum += canvas.Bone[y * size + x] * radiusStep;
            }
        }
        return before;
    }

    /// <summary>Rayleigh amplitudes with mean 1, smoothed a little more laterally than axially, as speckle grains are.</summary>
    private static float[] Speckle(int size, Random random)
    {
        var raw = new float[size * size];
        double sigma = 1 / Math.Sqrt(Math.PI / 2); // Rayleigh mean σ·√(π/2) = 1
        for (int i = 0; i < raw.Length; i++) raw[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())));
        var smooth = new float[raw.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                int left = Math.Max(0, x - 1), right = Math.Min(size - 1, x + 1), down = Math.Min(size - 1, y + 1);
                smooth[y * size + x] = (2 * raw[y * size + x] + raw[y * size + left] + raw[y * size + right] + raw[down * size + x]) / 5f;
            }
        // Smoothing shrinks the spread; stretch it back so the speckle keeps a Rayleigh-like contrast.
        for (int i = 0; i < smooth.Length; i++) smooth[i] = Math.Max(0, 1 + (smooth[i] - 1) * 1.8f);
        return smooth;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
