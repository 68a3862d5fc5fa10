namespace SonoSynth.Metrics;

public enum McNemarMethod { ExactBinomial, ChiSquareWithContinuityCorrection }

/// <summary>
/// McNemar's test for two classifiers on the same images. Only the discordant pairs matter:
/// b = A right and B wrong, c = A wrong and B right. P-value is two-sided.
/// </summary>
public sealed record McNemarResult(long BothCorrect, long OnlyFirstCorrect, long OnlySecondCorrect, long BothWrong,
    McNemarMethod Method, double Statistic, double PValue)
{
    public long Discordant => OnlyFirstCorrect + OnlySecondCorrect;
}

public static class McNemarTest
{
    /// <summary>Below this many discordant pairs the chi-square approximation is poor, so the exact test is used (statsmodels' rule of thumb).</summary>
    public const int ExactBelow = 25;

    public static McNemarResult Compare(IReadOnlyList<bool> firstCorrect, IReadOnlyList<bool> secondCorrect)
    {
        if (firstCorrect.Count != secondCorrect.Count)
            throw new ArgumentException($"{firstCorrect.Count} vs {secondCorrect.Count} predictions; McNemar needs the same images.");
        long both = 0, onlyFirst = 0, onlySecond = 0, neither = 0;
        for (int i = 0; i < firstCorrect.Count; i++)
        {
            if (firstCorrect[i] && secondCorrect[i]) both++;
            else if (firstCorrect[i]) onlyFirst++;
            else if (secondCorrect[i]) onlySecond++;
            else neither++;
        }
        return FromCounts(both, onlyFirst, onlySecond, neither);
    }

    public static McNemarResult Compare(PredictionTable first, PredictionTable second, string firstName = "first", string secondName = "second")
    {
        first.EnsureSameImages(second, firstName, secondName);
        return Compare(first.Correct, second.Correct);
    }

    public static McNemarResult FromCounts(long both, long onlyFirst, long onlySecond, long neither)
    {
        long n = onlyFirst + onlySecond;
        if (n < ExactBelow)
        {
            // Exact: under H0 the discordant pairs split Binomial(n, 1/2); two-sided p = 2 P(X <= min(b, c)), capped at 1.
            double tail = 0;
            long smaller = Math.Min(onlyFirst, onlySecond);
            for (long i = 0; i <= smaller; i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
            return new McNemarResult(both, onlyFirst, onlySecond, neither, McNemarMethod.ExactBinomial, smaller, Math.Min(1, 2 * tail));
        }
        double difference = Math.Abs(onlyFirst - onlySecond) - 1.0;
        double chiSquare = difference * difference / n;
        // Chi-square with 1 degree of freedom: P(X > x) = erfc(sqrt(x / 2)).
        return new McNemarResult(both, onlyFirst, onlySecond, neither, McNemarMethod.ChiSquareWithContinuityCorrection,
            chiSquare, SpecialFunctions.Erfc(Math.Sqrt(chiSquare / 2)));
    }

    private static double LogChoose(long n, long k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(long n)
    {
        double sum = 0;
        for (long i = 2; i <= n; i++) sum += Math.Log(i);
        return sum;
    }
}
