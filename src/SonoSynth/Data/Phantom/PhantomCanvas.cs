namespace SonoSynth.Data.Phantom;

/// <summary>
/// Drawing surface of one phantom image, in normalised coordinates (x right, y down, both 0..1 across the image).
/// <see cref="Echo"/> is tissue echogenicity (0 = anechoic fluid, 1 = bone surface); <see cref="Bone"/> is how strongly
/// a pixel blocks the beam, which later casts acoustic shadows. Shapes have soft, one-pixel edges.
/// </summary>
internal sealed class PhantomCanvas
{
    public PhantomCanvas(int size)
    {
        Size = size;
        Echo = new float[size * size];
        Bone = new float[size * size];
    }

    public int Size { get; }
    public float[] Echo { get; }
    public float[] Bone { get; }
    private float PixelWidth => 1f / Size;

    /// <summary>Filled ellipse with semi-axes a (along the rotated x) and b, blended towards <paramref name="echo"/>.</summary>
    public void FillEllipse(double cx, double cy, double a, double b, double rotation, double echo, double bone = 0, double opacity = 1)
    {
        Draw(cx, cy, rotation, Math.Max(a, b) + 2.0 / Size, (lx, ly) =>
        {
            double d = Math.Sqrt(lx * lx / (a * a) + ly * ly / (b * b));
            return (1 - d) * Math.Min(a, b); // approximate signed distance, positive inside
        }, echo, bone, opacity);
    }

    /// <summary>Elliptical ring (a wall) of the given thickness; with a span below 2π it is an arc starting at <paramref name="startAngle"/>.</summary>
    public void Ring(double cx, double cy, double a, double b, double rotation, double thickness, double echo, double bone = 0,
        double startAngle = 0, double span = 2 * Math.PI, double opacity = 1)
    {
        Draw(cx, cy, rotation, Math.Max(a, b) + thickness + 2.0 / Size, (lx, ly) =>
        {
            if (span < 2 * Math.PI)
            {
                double angle = Math.Atan2(ly / b, lx / a) - startAngle;
                angle = (angle % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI);
                if (angle > span) return -1;
            }
            double d = Math.Sqrt(lx * lx / (a * a) + ly * ly / (b * b));
            return thickness / 2 - Math.Abs(d - 1) * Math.Min(a, b);
        }, echo, bone, opacity);
    }

    /// <summary>Capsule (a thick line segment with round ends) centred at (cx, cy), of total length <paramref name="length"/>.</summary>
    public void Capsule(double cx, double cy, double length, double thickness, double rotation, double echo, double bone = 0, double opacity = 1)
    {
        double half = length / 2;
        Draw(cx, cy, rotation, half + thickness + 2.0 / Size, (lx, ly) =>
        {
            double along = Math.Clamp(lx, -half, half);
            double dx = lx - along;
            return thickness / 2 - Math.Sqrt(dx * dx + ly * ly);
        }, echo, bone, opacity);
    }

    /// <summary>Adds a smooth bump to the echo (low-frequency tissue variation).</summary>
    public void AddBump(double cx, double cy, double radius, double amplitude)
    {
        for (int y = 0; y < Size; y++)
        {
            double v = (y + 0.5) / Size - cy;
            for (int x = 0; x < Size; x++)
            {
                double u = (x + 0.5) / Size - cx;
                Echo[y * Size + x] += (float)(amplitude * Math.Exp(-(u * u + v * v) / (2 * radius * radius)));
            }
        }
    }

    /// <summary>
    /// Evaluates <paramref name="signedDistance"/> (positive inside, in image units) in the shape's rotated frame over
    /// its bounding box and blends echo and bone by the pixel's coverage.
    /// </summary>
    private void Draw(double cx, double cy, double rotation, double reach, Func<double, double, double> signedDistance,
        double echo, double bone, double opacity)
    {
        double cos = Math.Cos(rotation), sin = Math.Sin(rotation);
        int x0 = Math.Max(0, (int)((cx - reach) * Size)), x1 = Math.Min(Size - 1, (int)((cx + reach) * Size) + 1);
        int y0 = Math.Max(0, (int)((cy - reach) * Size)), y1 = Math.Min(Size - 1, (int)((cy + reach) * Size) + 1);
        for (int y = y0; y <= y1; y++)
        {
            double v = (y + 0.5) / Size - cy;
            for (int x = x0; x <= x1; x++)
            {
                double u = (x + 0.5) / Size - cx;
                double lx = cos * u + sin * v, ly = -sin * u + cos * v;
                double coverage = Math.Clamp(signedDistance(lx, ly) / PixelWidth + 0.5, 0, 1) * opacity;
                if (coverage <= 0) continue;
                int i = y * Size + x;
                Echo[i] = (float)(Echo[i] + (echo - Echo[i]) * coverage);
                if (bone > 0) Bone[i] = (float)Math.Max(Bone[i], bone * coverage);
            }
        }
    }
}
