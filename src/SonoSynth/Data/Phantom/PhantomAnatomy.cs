namespace SonoSynth.Data.Phantom;

/// <summary>
/// Draws the echogenicity map of each plane with random position, size and rotation. Class indices follow
/// <see cref="PlaneClasses"/>: 0 abdomen, 1 brain, 2 femur, 3 thorax, 4 maternal cervix, 5 other.
/// The shapes are caricatures of the standard planes, distinct enough to learn, varied enough not to be trivial.
/// </summary>
internal static class PhantomAnatomy
{
    public static void Draw(PhantomCanvas canvas, int classIndex, Random random)
    {
        Background(canvas, random);
        switch (classIndex)
        {
            case 0: Abdomen(canvas, random); break;
            case 1: Brain(canvas, random); break;
            case 2: Femur(canvas, random); break;
            case 3: Thorax(canvas, random); break;
            case 4: Cervix(canvas, random); break;
            case 5: Other(canvas, random); break;
            default: throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, "Phantom classes are 0..5.");
        }
    }

    /// <summary>Maternal tissue and amniotic fluid: a mid-grey base with smooth variations and a dark fluid pocket.</summary>
    private static void Background(PhantomCanvas canvas, Random random)
    {
        Array.Fill(canvas.Echo, (float)Uniform(random, 0.22, 0.34));
        for (int i = 0; i < 6; i++)
            canvas.AddBump(random.NextDouble(), random.NextDouble(), Uniform(random, 0.08, 0.25), Uniform(random, -0.1, 0.1));
        if (random.NextDouble() < 0.6)
            canvas.FillEllipse(Uniform(random, 0.2, 0.8), Uniform(random, 0.3, 0.8), Uniform(random, 0.15, 0.35), Uniform(random, 0.1, 0.25),
                Angle(random, 90), Uniform(random, 0.02, 0.08), opacity: 0.9);
        // The uterine wall near the probe: a brighter band at the top.
        canvas.Ring(0.5, Uniform(random, -0.5, -0.3), 0.75, 0.75, 0, Uniform(random, 0.04, 0.08), Uniform(random, 0.4, 0.6), opacity: 0.7);
    }

    /// <summary>Brain (trans-thalamic-like): bright skull ellipse, dark brain, bright midline falx, cavum and thalami.</summary>
    private static void Brain(PhantomCanvas canvas, Random random)
    {
        var (cx, cy) = Centre(random);
        double a = Uniform(random, 0.25, 0.34), b = a * Uniform(random, 0.72, 0.86), rotation = Angle(random, 45);
        canvas.FillEllipse(cx, cy, a, b, rotation, Uniform(random, 0.16, 0.24));
        canvas.Ring(cx, cy, a, b, rotation, Uniform(random, 0.022, 0.032), 1.0, bone: 0.2);
        canvas.Capsule(cx, cy, 1.75 * a, 0.012, rotation, Uniform(random, 0.7, 0.9));
        double cos = Math.Cos(rotation), sin = Math.Sin(rotation);
        double offset = Uniform(random, -0.45, -0.25) * a;
        canvas.FillEllipse(cx + offset * cos, cy + offset * sin, 0.12 * a, 0.07 * a, rotation, 0.03); // cavum septi pellucidi
        double thalamus = Uniform(random, 0.05, 0.2) * a;
        foreach (var side in new[] { -1.0, 1.0 })
            canvas.FillEllipse(cx + thalamus * cos - side * 0.2 * b * sin, cy + thalamus * sin + side * 0.2 * b * cos,
                0.18 * a, 0.13 * a, rotation, Uniform(random, 0.25, 0.35));
    }

    /// <summary>Abdomen: round section with skin rim, liver texture, a dark stomach bubble, the umbilical vein and the spine.</summary>
    private static void Abdomen(PhantomCanvas canvas, Random random)
    {
        var (cx, cy) = Centre(random);
        double radius = Uniform(random, 0.2, 0.28), b = radius * Uniform(random, 0.85, 1.0), rotation = Angle(random, 180);
        canvas.FillEllipse(cx, cy, radius, b, rotation, Uniform(random, 0.34, 0.44));
        canvas.Ring(cx, cy, radius, b, rotation, 0.014, Uniform(random, 0.55, 0.7));
        double cos = Math.Cos(rotation), sin = Math.Sin(rotation);
        double stomachAlong = Uniform(random, 0.2, 0.45) * radius, stomachAcross = Uniform(random, -0.3, 0.1) * radius;
        canvas.FillEllipse(cx + stomachAlong * cos - stomachAcross * sin, cy + stomachAlong * sin + stomachAcross * cos,
            Uniform(random, 0.22, 0.32) * radius, Uniform(random, 0.13, 0.2) * radius, rotation + Angle(random, 30), 0.02);
        canvas.Capsule(cx - 0.25 * radius * cos, cy - 0.25 * radius * sin, 0.35 * radius, 0.025, rotation + Math.PI / 2 + Angle(random, 20), 0.08);
        // Spine: three bright ossification centres near the back wall, each casting a shadow.
        double spineAngle = rotation + Math.PI + Angle(random, 25);
        double spineX = cx + 0.72 * radius * Math.Cos(spineAngle), spineY = cy + 0.72 * b * Math.Sin(spineAngle);
        for (int k = 0; k < 3; k++)
        {
            double spread = (k - 1) * 0.22 * radius;
            canvas.FillEllipse(spineX - spread * Math.Sin(spineAngle), spineY + spread * Math.Cos(spineAngle) + (k == 1 ? 0.02 : 0),
                0.018, 0.013, spineAngle, 0.95, bone: 0.35);
        }
    }

    /// <summary>Femur: a bright, elongated diaphysis inside the thigh's soft tissue, with an acoustic shadow beneath.</summary>
    private static void Femur(PhantomCanvas canvas, Random random)
    {
        var (cx, cy) = Centre(random);
        double length = Uniform(random, 0.32, 0.52), rotation = Angle(random, 28);
        canvas.Capsule(cx, cy + 0.01, length * 1.25, Uniform(random, 0.14, 0.2), rotation, Uniform(random, 0.3, 0.4));
        double thickness = Uniform(random, 0.022, 0.034);
        canvas.Capsule(cx, cy, length, thickness, rotation, 1.0, bone: 1.0);
        // Slightly bulbous metaphyses at both ends.
        foreach (var end in new[] { -0.5, 0.5 })
            canvas.FillEllipse(cx + end * length * Math.Cos(rotation), cy + end * length * Math.Sin(rotation),
                thickness * 0.9, thickness * 0.75, rotation, 0.9, bone: 0.8);
    }

    /// <summary>Thorax (four-chamber view): round chest, rib arcs with shadows, spine, and a heart with four dark chambers.</summary>
    private static void Thorax(PhantomCanvas canvas, Random random)
    {
        var (cx, cy) = Centre(random);
        double radius = Uniform(random, 0.22, 0.29), rotation = Angle(random, 180);
        canvas.FillEllipse(cx, cy, radius, radius * 0.95, rotation, Uniform(random, 0.42, 0.52)); // lungs: bright, even
        canvas.Ring(cx, cy, radius, radius * 0.95, rotation, 0.012, 0.6);
        int ribs = random.Next(3, 6);
        for (int k = 0; k < ribs; k++)
        {
            double start = random.NextDouble() * 2 * Math.PI;
            canvas.Ring(cx, cy, radius * 0.97, radius * 0.92, rotation, 0.018, 0.95, bone: 0.6, startAngle: start, span: Uniform(random, 0.25, 0.45));
        }
        double spineAngle = rotation + Angle(random, 180);
        canvas.FillEllipse(cx + 0.8 * radius * Math.Cos(spineAngle), cy + 0.8 * radius * Math.Sin(spineAngle), 0.022, 0.016, spineAngle, 0.95, bone: 0.5);
        // Heart: off-centre, tilted, myocardium with a crux of septa between four chambers.
        double heartAngle = spineAngle + Math.PI + Angle(random, 35);
        double hx = cx + 0.3 * radius * Math.Cos(heartAngle), hy = cy + 0.3 * radius * Math.Sin(heartAngle);
        double heartA = radius * Uniform(random, 0.45, 0.55), heartB = heartA * Uniform(random, 0.75, 0.9), heartRotation = heartAngle + Angle(random, 30);
        canvas.FillEllipse(hx, hy, heartA, heartB, heartRotation, Uniform(random, 0.5, 0.62));
        double cos = Math.Cos(heartRotation), sin = Math.Sin(heartRotation);
        foreach (var (along, across) in new[] { (-0.42, -0.4), (-0.42, 0.4), (0.42, -0.4), (0.42, 0.4) })
            canvas.FillEllipse(hx + along * heartA * cos - across * heartB * sin, hy + along * heartA * sin + across * heartB * cos,
                0.34 * heartA, 0.3 * heartB, heartRotation, Uniform(random, 0.02, 0.07));
    }

    /// <summary>Maternal cervix: an elongated band of bright stroma split by a dark canal lined with bright mucosa.</summary>
    private static void Cervix(PhantomCanvas canvas, Random random)
    {
        var (cx, cy) = Centre(random);
        double length = Uniform(random, 0.5, 0.75), width = Uniform(random, 0.16, 0.24), rotation = Angle(random, 35);
        canvas.FillEllipse(cx, cy, length / 2, width / 2, rotation, Uniform(random, 0.5, 0.65));
        canvas.Capsule(cx, cy, length * 0.8, Uniform(random, 0.03, 0.045), rotation, Uniform(random, 0.75, 0.9));
        canvas.Capsule(cx, cy, length * 0.78, Uniform(random, 0.01, 0.018), rotation, Uniform(random, 0.02, 0.06));
        // The internal os opens into a funnel sometimes; the bladder often shows as a dark region above.
        if (random.NextDouble() < 0.5)
            canvas.FillEllipse(cx + 0.38 * length * Math.Cos(rotation), cy + 0.38 * length * Math.Sin(rotation), 0.05, 0.03, rotation, 0.05);
        if (random.NextDouble() < 0.6)
            canvas.FillEllipse(cx + Uniform(random, -0.2, 0.2), cy - width - Uniform(random, 0.05, 0.12), Uniform(random, 0.12, 0.2),
                Uniform(random, 0.05, 0.09), Angle(random, 20), 0.03);
    }

    /// <summary>Other planes: a mix of blobs, partial walls and lines with no fixed arrangement.</summary>
    private static void Other(PhantomCanvas canvas, Random random)
    {
        int parts = random.Next(2, 6);
        for (int k = 0; k < parts; k++)
        {
            var (cx, cy) = Centre(random, 0.2);
            switch (random.Next(4))
            {
                case 0:
                    canvas.FillEllipse(cx, cy, Uniform(random, 0.05, 0.2), Uniform(random, 0.04, 0.15), Angle(random, 180), Uniform(random, 0.02, 0.7));
                    break;
                case 1:
                    double a = Uniform(random, 0.08, 0.25);
                    canvas.Ring(cx, cy, a, a * Uniform(random, 0.5, 1), Angle(random, 180), Uniform(random, 0.01, 0.025), Uniform(random, 0.5, 0.85),
                        startAngle: random.NextDouble() * 2 * Math.PI, span: Uniform(random, 1, 3.5));
                    break;
                case 2:
                    canvas.Capsule(cx, cy, Uniform(random, 0.1, 0.4), Uniform(random, 0.01, 0.05), Angle(random, 180), Uniform(random, 0.1, 0.8),
                        bone: random.NextDouble() < 0.3 ? 0.5 : 0);
                    break;
                default:
                    canvas.AddBump(cx, cy, Uniform(random, 0.05, 0.15), Uniform(random, -0.2, 0.3));
                    break;
            }
        }
    }

    private static (double X, double Y) Centre(Random random, double spread = 0.1) =>
        (0.5 + Uniform(random, -spread, spread), 0.52 + Uniform(random, -spread, spread));

    private static double Angle(Random random, double maxDegrees) => Uniform(random, -maxDegrees, maxDegrees) * Math.PI / 180;

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();
}
