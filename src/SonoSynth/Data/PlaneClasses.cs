namespace SonoSynth.Data;

/// <summary>The six classes of FETAL_PLANES_DB, in the class-index order of the paper's Table 1.</summary>
public static class PlaneClasses
{
    public static IReadOnlyList<string> Names { get; } =
        ["Fetal abdomen", "Fetal brain", "Fetal femur", "Fetal thorax", "Maternal cervix", "Other"];

    public static int Count => Names.Count;

    /// <summary>Index of a plane name as written in the CSV's Plane column (exact, case-sensitive).</summary>
    public static int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
            if (Names[i] == name) return i;
        return -1;
    }

    /// <summary>A file-system friendly form of a class name: "Fetal abdomen" → "fetal_abdomen".</summary>
    public static string Slug(string name) => name.Trim().ToLowerInvariant().Replace(' ', '_');
}
