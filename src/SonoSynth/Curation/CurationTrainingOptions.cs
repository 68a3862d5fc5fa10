namespace SonoSynth.Curation;

/// <summary>
/// How to train the good/bad classifier. <see cref="HeldOutFraction"/> of each class is kept out of training to
/// report accuracy; <see cref="Threshold"/> on P(good) is stored with the model for <c>curate filter</c>.
/// </summary>
public sealed record CurationTrainingOptions(int ImageSize = 64, int BaseChannels = 16, int Epochs = 15, int BatchSize = 32,
    double LearningRate = 1e-3, double HeldOutFraction = 0.2, double Threshold = 0.5, int Seed = 0)
{
    /// <summary>For a few hundred labelled 64 px images on a laptop CPU: a minute or two.</summary>
    public static CurationTrainingOptions Default { get; } = new();

    /// <summary>For tests on 2 CPU cores: checks that it learns, in seconds.</summary>
    public static CurationTrainingOptions CpuSmoke { get; } = new(ImageSize: 32, BaseChannels: 8, Epochs: 6, BatchSize: 16,
        LearningRate: 3e-3);

    public void Validate()
    {
        if (ImageSize < 16 || ImageSize % 16 != 0)
            throw new ArgumentException($"--image-size {ImageSize}: must be a multiple of 16 (four 2×2 poolings), at least 16.");
        if (Epochs < 1) throw new ArgumentException($"--epochs {Epochs}: must be at least 1.");
        if (BatchSize < 2) throw new ArgumentException($"--batch-size {BatchSize}: must be at least 2 (batch norm).");
        if (HeldOutFraction is < 0 or >= 1) throw new ArgumentException($"--held-out {HeldOutFraction}: must be in [0, 1).");
        if (Threshold is <= 0 or >= 1) throw new ArgumentException($"--threshold {Threshold}: must be in (0, 1).");
        if (LearningRate <= 0) throw new ArgumentException($"--lr {LearningRate}: must be positive.");
    }
}
