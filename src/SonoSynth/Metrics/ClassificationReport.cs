namespace SonoSynth.Metrics;

/// <summary>Precision, recall and F1 of one class, and its support (number of true images).</summary>
public sealed record ClassScores(string ClassName, double Precision, double Recall, double F1, long Support);

/// <summary>
/// The paper's Table 10 metrics with scikit-learn's definitions: per-class precision/recall/F1 with
/// zero_division=0 (0 where a ratio is undefined), and the "weighted" averages (weights = support).
/// </summary>
public sealed record ClassificationReport(
    double Accuracy, IReadOnlyList<ClassScores> PerClass,
    double WeightedPrecision, double WeightedRecall, double WeightedF1,
    double MacroPrecision, double MacroRecall, double MacroF1,
    ConfusionMatrix Confusion)
{
    public static ClassificationReport Compute(IReadOnlyList<string> classNames, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        var confusion = new ConfusionMatrix(classNames, truth, predicted);
        int k = classNames.Count;
        var perClass = new ClassScores[k];
        long total = truth.Count, correct = 0;
        for (int c = 0; c < k; c++)
        {
            long truePositives = confusion.Counts[c, c];
            correct += truePositives;
            long support = confusion.RowTotal(c), predictedCount = confusion.ColumnTotal(c);
            double precision = predictedCount == 0 ? 0 : truePositives / (double)predictedCount;
            double recall = support == 0 ? 0 : truePositives / (double)support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassScores(classNames[c], precision, recall, f1, support);
        }
        double Weighted(Func<ClassScores, double> pick) =>
            total == 0 ? 0 : perClass.Sum(s => pick(s) * s.Support) / total;
        // sklearn's macro average runs over the labels present in truth or predictions.
        var present = perClass.Where((s, c) => s.Support > 0 || confusion.ColumnTotal(c) > 0).ToArray();
        double Macro(Func<ClassScores, double> pick) => present.Length == 0 ? 0 : present.Average(pick);
        return new ClassificationReport(total == 0 ? 0 : correct / (double)total, perClass,
            Weighted(s => s.Precision), Weighted(s => s.Recall), Weighted(s => s.F1),
            Macro(s => s.Precision), Macro(s => s.Recall), Macro(s => s.F1), confusion);
    }

    public static ClassificationReport Compute(PredictionTable predictions) =>
        Compute(predictions.ClassNames, predictions.TrueLabels, predictions.PredictedLabels);
}
