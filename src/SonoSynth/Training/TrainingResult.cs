namespace SonoSynth.Training;

/// <summary>
/// What a phase achieved. <see cref="BestTestAccuracy"/> at <see cref="BestTestEpoch"/> is what the paper reports
/// (the best test epoch, optimistic because the test set chooses the epoch). When a validation split was given,
/// <see cref="SelectedEpoch"/> is the epoch with the best validation accuracy (earliest on ties) and
/// <see cref="TestAccuracyAtSelectedEpoch"/> is the honest estimate.
/// </summary>
public sealed record TrainingResult(
    int Epochs, double BestTestAccuracy, int BestTestEpoch,
    int? SelectedEpoch, double? BestValidationAccuracy, double? TestAccuracyAtSelectedEpoch,
    double FinalTestAccuracy, double DataWaitShare, IReadOnlyList<EpochRecord> History)
{
    internal static TrainingResult FromHistory(IReadOnlyList<EpochRecord> history)
    {
        var bestTest = history[0];
        foreach (var e in history) if (e.TestAccuracy > bestTest.TestAccuracy) bestTest = e;
        EpochRecord? selected = null;
        foreach (var e in history)
            if (e.ValidationAccuracy is double v && (selected is null || v > selected.ValidationAccuracy!.Value)) selected = e;
        double totalSeconds = history.Sum(e => e.Seconds);
        double waitShare = totalSeconds == 0 ? 0 : history.Sum(e => e.DataWaitShare * e.Seconds) / totalSeconds;
        return new TrainingResult(history.Count, bestTest.TestAccuracy, bestTest.Epoch, selected?.Epoch,
            selected?.ValidationAccuracy, selected?.TestAccuracy, history[^1].TestAccuracy, waitShare, history);
    }
}
