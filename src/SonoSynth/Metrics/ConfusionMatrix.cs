namespace SonoSynth.Metrics;

/// <summary>Counts [true class, predicted class] (scikit-learn's orientation: rows are the truth).</summary>
public sealed class ConfusionMatrix
{
    public ConfusionMatrix(IReadOnlyList<string> classNames, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions.");
        ClassNames = classNames;
        Counts = new long[classNames.Count, classNames.Count];
        for (int i = 0; i < truth.Count; i++) Counts[truth[i], predicted[i]]++;
    }

    public IReadOnlyList<string> ClassNames { get; }
    public long[,] Counts { get; }
    public int ClassCount => ClassNames.Count;

    public long RowTotal(int trueClass)
    {
        long total = 0;
        for (int j = 0; j < ClassCount; j++) total += Counts[trueClass, j];
        return total;
    }

    public long ColumnTotal(int predictedClass)
    {
        long total = 0;
        for (int i = 0; i < ClassCount; i++) total += Counts[i, predictedClass];
        return total;
    }

    /// <summary>Each row as percentages of that true class (0 for a class with no images).</summary>
    public double[,] RowPercent()
    {
        var percent = new double[ClassCount, ClassCount];
        for (int i = 0; i < ClassCount; i++)
        {
            long total = RowTotal(i);
            for (int j = 0; j < ClassCount; j++) percent[i, j] = total == 0 ? 0 : 100.0 * Counts[i, j] / total;
        }
        return percent;
    }
}
