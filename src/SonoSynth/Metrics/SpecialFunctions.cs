namespace SonoSynth.Metrics;

/// <summary>Functions .NET lacks, accurate to about 1e-10 relative or better.</summary>
public static class SpecialFunctions
{
    /// <summary>
    /// Complementary error function. Series for small x, continued fraction (Lentz) for large x,
    /// so tail probabilities far below 1e-7 keep their relative accuracy.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2 - Erfc(-x);
        if (x < 2.5)
        {
            // erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double sum = 0, term = x;
            for (int n = 0; n < 200; n++)
            {
                double contribution = term / (2 * n + 1);
                sum += contribution;
                if (Math.Abs(contribution) < 1e-17 * Math.Abs(sum)) break;
                term *= -x * x / (n + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int i = 1; i < 500; i++)
        {
            double a = i / 2.0;
            d = x + a * d; if (Math.Abs(d) < tiny) d = tiny;
            c = x + a / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
