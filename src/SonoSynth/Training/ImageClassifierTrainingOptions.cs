namespace SonoSynth.Training;

/// <summary>
/// One training phase's hyper-parameters. Seed drives weight-independent randomness of the phase
/// (shuffling, augmentation, dropout); the model's initial weights are seeded by whoever builds the model.
/// </summary>
public sealed record ImageClassifierTrainingOptions(int Epochs = 200, int BatchSize = 32, double LearningRate = 1e-4, long Seed = 0,
    int EvaluationBatchSize = 128)
{
    /// <summary>The paper's Section 4.3: Adam, lr 1e-4, batch 32, 200 epochs.</summary>
    public static ImageClassifierTrainingOptions Paper { get; } = new();

    /// <summary>For 2 CPU cores and tiny models: checks the wiring in seconds, not the paper's numbers.</summary>
    public static ImageClassifierTrainingOptions CpuSmoke { get; } = new(Epochs: 3, BatchSize: 16);

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 2) throw new ArgumentException($"Batch size must be at least 2 (got {BatchSize}); BatchNorm needs two images per batch.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"Learning rate must be positive (got {LearningRate}).");
        if (EvaluationBatchSize < 1) throw new ArgumentException($"Evaluation batch size must be at least 1 (got {EvaluationBatchSize}).");
    }
}

/// <summary>Which weights a phase trains: all (training, full fine-tuning) or only the classification head.</summary>
public enum TrainableParameters { All, HeadOnly }
