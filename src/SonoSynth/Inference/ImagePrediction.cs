namespace SonoSynth.Inference;

/// <summary>One classified image: the predicted class index and the class probabilities (ensemble mean for several models).</summary>
public sealed record ImagePrediction(string Image, int Predicted, float[] Probabilities)
{
    public float TopProbability => Probabilities[Predicted];
}

/// <summary>An input that could not be classified, with the reason (the decoder's message).</summary>
public sealed record UnreadableImage(string Image, string Reason);

/// <summary>What <see cref="ImagePredictor"/> returns: predictions in input order, the files it skipped, and the speed.</summary>
public sealed record PredictionRun(IReadOnlyList<string> ClassNames, IReadOnlyList<ImagePrediction> Predictions,
    IReadOnlyList<UnreadableImage> Unreadable, TimeSpan Elapsed)
{
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Predictions.Count / Elapsed.TotalSeconds : 0;
}
