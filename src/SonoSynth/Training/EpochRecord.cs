namespace SonoSynth.Training;

/// <summary>
/// One finished epoch: mean training loss and accuracy over the epoch's batches (with augmentation, in train mode),
/// accuracy on the test set and, if given, on the validation split; throughput and the share of step time spent
/// waiting for the input pipeline.
/// </summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double TestAccuracy,
    double? ValidationAccuracy, double ImagesPerSecond, double DataWaitShare, double Seconds);
