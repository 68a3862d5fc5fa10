namespace SonoSynth.Curation;

/// <summary>
/// What training saw and how well the classifier does on the held-out labels. Balanced accuracy is the mean of
/// the per-class recalls, so it stays honest when good and bad are imbalanced. NaN when nothing was held out.
/// </summary>
public sealed record CurationTrainingReport(int GoodCount, int BadCount, int SkippedCount, int TrainCount, int HeldOutCount,
    double HeldOutAccuracy, double HeldOutBalancedAccuracy, double FinalTrainLoss);
