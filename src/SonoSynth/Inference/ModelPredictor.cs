using SonoSynth.Data;
using SonoSynth.Metrics;
using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>Runs a classifier in eval mode over an image set and returns softmax probabilities per image.</summary>
public static class ModelPredictor
{
    public static PredictionTable Predict(ImageClassifier model, LabelledImages images, Device? device = null, int batchSize = 128)
    {
        var probabilities = Probabilities(model, images, device, batchSize);
        var rows = new PredictionRow[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var p = probabilities[i];
            int predicted = 0;
            for (int k = 1; k < p.Length; k++) if (p[k] > p[predicted]) predicted = k;
            rows[i] = new PredictionRow(images.Ids[i], (int)images.Labels[i], predicted, p);
        }
        return new PredictionTable(images.ClassNames, rows);
    }

    /// <summary>Softmax probabilities [N][K], in the set's row order.</summary>
    public static float[][] Probabilities(ImageClassifier model, LabelledImages images, Device? device = null, int batchSize = 128)
    {
        device ??= CPU;
        bool wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        var result = new float[images.Count][];
        try
        {
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, images.Count - start);
                var rows = Enumerable.Range(start, count).Select(i => (long)i).ToArray();
                var input = images.FloatBatch(rows).to(device);
                var probabilities = nn.functional.softmax(model.call(input), 1).to(CPU).to_type(ScalarType.Float32);
                int classes = (int)probabilities.shape[1];
                var flat = probabilities.data<float>().ToArray();
                for (int i = 0; i < count; i++) result[start + i] = flat.AsSpan(i * classes, classes).ToArray();
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return result;
    }

    /// <summary>Pooled features [N x F] (<see cref="ImageClassifier.ForwardFeatures"/>), on the CPU, float32.</summary>
    public static Tensor Features(ImageClassifier model, LabelledImages images, Device? device = null, int batchSize = 128)
    {
        device ??= CPU;
        bool wasTraining = model.training;
        model.eval();
        using var noGrad = no_grad();
        if (images.Count == 0) throw new ArgumentException("No images to extract features from.");
        var parts = new List<Tensor>();
        try
        {
            for (int start = 0; start < images.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int count = Math.Min(batchSize, images.Count - start);
                var rows = Enumerable.Range(start, count).Select(i => (long)i).ToArray();
                var features = model.ForwardFeatures(images.FloatBatch(rows).to(device)).to(CPU).to_type(ScalarType.Float32);
                parts.Add(features.MoveToOuterDisposeScope());
            }
            using var scopeCat = NewDisposeScope();
            return cat(parts.ToArray(), 0).MoveToOuterDisposeScope();
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
            if (wasTraining) model.train();
        }
    }

    public static double Accuracy(ImageClassifier model, LabelledImages images, Device? device = null, int batchSize = 128)
    {
        if (images.Count == 0) return 0;
        var probabilities = Probabilities(model, images, device, batchSize);
        int correct = 0;
        for (int i = 0; i < images.Count; i++)
        {
            var p = probabilities[i];
            int predicted = 0;
            for (int k = 1; k < p.Length; k++) if (p[k] > p[predicted]) predicted = k;
            if (predicted == images.Labels[i]) correct++;
        }
        return correct / (double)images.Count;
    }
}
