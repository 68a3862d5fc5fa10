using System.Globalization;

namespace SonoSynth.Reports;

/// <summary>Numbers as reports print them: invariant culture, one decimal, "—" for what has not been measured (yet).</summary>
public static class ReportFormat
{
    public const string Missing = "—";

    /// <summary>A value already in %, e.g. 91.24 → "91.2".</summary>
    public static string Percent(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    /// <summary>A share in [0, 1] as %, e.g. 0.9124 → "91.2".</summary>
    public static string Share(double share) => Percent(100 * share);

    /// <summary>A difference in points with its sign, e.g. "+1.5" or "−0.3".</summary>
    public static string Signed(double value) => value.ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>"mean ± sd" (sample sd) of values in %, the value alone for one, "—" for none.</summary>
    public static string MeanSd(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return Missing;
        var mean = list.Average();
        if (list.Count == 1) return Percent(mean);
        var sd = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return $"{mean:F1} ± {sd:F1}";
    }

    /// <summary>m:ss, or h:mm:ss from an hour on.</summary>
    public static string Duration(double seconds) => TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss");
}
