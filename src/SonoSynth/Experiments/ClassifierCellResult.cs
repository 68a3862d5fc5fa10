using SonoSynth.Metrics;
using SonoSynth.Training;

namespace SonoSynth.Experiments;

/// <summary>What a finished classifier cell left behind (<see cref="Stages.ClassifierStage.Read"/>): each phase's result and the test predictions.</summary>
public sealed record ClassifierCellResult(IReadOnlyList<(string Phase, TrainingResult Result)> Phases, PredictionTable Predictions)
{
    public TrainingResult Final => Phases[^1].Result;

    /// <summary>The paper's "training accuracy": the best epoch's training accuracy of the last phase, in %.</summary>
    public double TrainAccuracy => 100 * Final.History.Max(e => e.TrainAccuracy);

    /// <summary>The paper's "test accuracy": the best test epoch of the last phase, in %.</summary>
    public double BestTestAccuracy => 100 * Final.BestTestAccuracy;

    /// <summary>Test accuracy at the epoch the validation split chose (honest), in %; falls back to the final epoch.</summary>
    public double SelectedTestAccuracy => 100 * (Final.TestAccuracyAtSelectedEpoch ?? Final.FinalTestAccuracy);
}
