using System.Text.Json.Serialization;

namespace SonoSynth.Training;

/// <summary>
/// A finished regime run's <c>regime.json</c> (camelCase keys), read and written only by <see cref="RunFolder"/>.
/// </summary>
/// <param name="Architecture">Registry name of the model; null in runs written before it was recorded.</param>
/// <param name="ImageSize">Square input size of the model; null in runs written before it was recorded.</param>
/// <param name="PredictionWeights">The weights predictions.csv came from, relative to the run folder.</param>
public sealed record RegimeSummary(
    string Regime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Architecture,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ImageSize,
    long ModelSeed, string PredictionWeights, double PredictionAccuracy,
    IReadOnlyList<PhaseSummary> Phases);

/// <summary>One phase's line in regime.json (its full result is the phase folder's result.json).</summary>
public sealed record PhaseSummary(
    string Phase, int Epochs, double BestTestAccuracy, int BestTestEpoch, int? SelectedEpoch,
    double? TestAccuracyAtSelectedEpoch, double FinalTestAccuracy, double DataWaitShare)
{
    public static PhaseSummary Of(string phase, TrainingResult result) => new(phase, result.Epochs, result.BestTestAccuracy,
        result.BestTestEpoch, result.SelectedEpoch, result.TestAccuracyAtSelectedEpoch, result.FinalTestAccuracy, result.DataWaitShare);
}
