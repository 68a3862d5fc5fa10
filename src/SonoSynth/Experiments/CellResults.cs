using System.Text.Json;
using SonoSynth.Metrics;
using SonoSynth.Training;

namespace SonoSynth.Experiments;

/// <summary>What a finished classifier cell left behind: each phase's result and the test predictions.</summary>
public sealed record ClassifierCellResult(string CellId, IReadOnlyList<(string Phase, TrainingResult Result)> Phases, PredictionTable Predictions)
{
    public TrainingResult Final => Phases[^1].Result;

    /// <summary>The paper's "training accuracy": the best epoch's training accuracy of the last phase, in %.</summary>
    public double TrainAccuracy => 100 * Final.History.Max(e => e.TrainAccuracy);

    /// <summary>The paper's "test accuracy": the best test epoch of the last phase, in %.</summary>
    public double BestTestAccuracy => 100 * Final.BestTestAccuracy;

    /// <summary>Test accuracy at the epoch the validation split chose (honest), in %; falls back to the final epoch.</summary>
    public double SelectedTestAccuracy => 100 * (Final.TestAccuracyAtSelectedEpoch ?? Final.FinalTestAccuracy);

    public static ClassifierCellResult? TryRead(string experimentFolder, string cellId)
    {
        var folder = CellPaths.Folder(experimentFolder, cellId);
        var summaryPath = Path.Combine(folder, RegimeRunner.SummaryFile);
        var predictionsPath = Path.Combine(folder, RegimeRunner.PredictionsFile);
        if (!File.Exists(summaryPath) || !File.Exists(predictionsPath)) return null;
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
        var phases = new List<(string, TrainingResult)>();
        foreach (var phase in summary.RootElement.GetProperty("phases").EnumerateArray())
        {
            var name = phase.GetProperty("phase").GetString()!;
            var result = ImageClassifierTrainer.ReadResult(Path.Combine(folder, name));
            if (result is null) return null;
            phases.Add((name, result));
        }
        return new ClassifierCellResult(cellId, phases, PredictionTable.Read(predictionsPath));
    }
}
