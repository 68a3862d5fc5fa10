using System.Diagnostics;
using System.Globalization;
using System.Text;
using SonoSynth.Imaging;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// Classifies image files with one model or a vote of several. Each file is decoded once (gray, PIL luma) and
/// resized to each model's training size with the training decoder; files that fail to decode are reported,
/// not fatal. Batches run in eval mode without gradients.
/// </summary>
public sealed class ImagePredictor
{
    private readonly IReadOnlyList<ModelBundle> models;

    public ImagePredictor(IReadOnlyList<ModelBundle> models, EnsembleVote vote = EnsembleVote.Soft, int batchSize = 64, Device? device = null)
    {
        if (models.Count == 0) throw new ArgumentException("At least one model is needed.", nameof(models));
        if (batchSize < 1) throw new InputError($"--batch-size must be at least 1 (got {batchSize}).");
        var classes = models[0].ClassNames;
        for (int m = 1; m < models.Count; m++)
            if (!models[m].ClassNames.SequenceEqual(classes))
                throw new InputError($"The ensemble's models have different classes: {string.Join(", ", classes)} vs {string.Join(", ", models[m].ClassNames)} " +
                    $"(model {m + 1}, {models[m].Info.Provenance.Source}). Vote only over models trained on the same classes.");
        this.models = models;
        Vote = vote;
        BatchSize = batchSize;
        Device = device ?? CPU;
    }

    public EnsembleVote Vote { get; }
    public int BatchSize { get; }
    public Device Device { get; }
    public IProgress<ProgressUpdate>? Progress { get; init; }

    public IReadOnlyList<string> ClassNames => models[0].ClassNames;

    public PredictionRun Predict(IReadOnlyList<string> files, CancellationToken cancellation = default)
    {
        var watch = Stopwatch.StartNew();
        var predictions = new List<ImagePrediction>(files.Count);
        var unreadable = new List<UnreadableImage>();
        var sizes = models.Select(m => m.Info.ImageSize).Distinct().ToArray();
        var policies = sizes.Select(DecodePolicy.Training).ToArray();
        using var noGrad = no_grad();
        for (int start = 0; start < files.Count; start += BatchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var batchFiles = new List<string>();
            var pixels = sizes.ToDictionary(s => s, _ => new List<byte[]>());
            foreach (var file in files.Skip(start).Take(BatchSize))
            {
                try
                {
                    // One decode, fitted to each member's size.
                    var native = ImageDecoder.DecodeGray(file, DecodePolicy.NativeGray);
                    foreach (var policy in policies)
                        pixels[policy.Size!.Value].Add(ImageDecoder.Fit(native, policy).Pixels);
                    batchFiles.Add(file);
                }
                catch (InputError error) { unreadable.Add(new UnreadableImage(file, ImageDecoder.WithoutSkipAdvice(error.Message))); }
            }
            if (batchFiles.Count > 0)
            {
                var memberProbabilities = models.Select(m => Probabilities(m, pixels[m.Info.ImageSize], batchFiles.Count)).ToList();
                for (int i = 0; i < batchFiles.Count; i++)
                    predictions.Add(Combine(batchFiles[i], memberProbabilities.Select(p => p[i]).ToList()));
            }
            Progress?.Report(new ProgressUpdate("classifying", Math.Min(start + BatchSize, files.Count), files.Count));
        }
        return new PredictionRun(ClassNames, predictions, unreadable, watch.Elapsed);
    }

    // The decoder's messages suggest --skip-bad, which prediction does anyway.
    /// <summary>Softmax probabilities [count][K] of one model for uint8 gray images (already at its size).</summary>
    private float[][] Probabilities(ModelBundle bundle, List<byte[]> images, int count)
    {
        using var scope = NewDisposeScope();
        int size = bundle.Info.ImageSize;
        var flat = new byte[count * size * size];
        for (int i = 0; i < count; i++) images[i].CopyTo(flat, i * size * size);
        var input = tensor(flat, [count, 1, size, size], ScalarType.Byte).to_type(ScalarType.Float32)
            .div_((float)bundle.Info.Preprocessing.ScaleDivisor).to(Device);
        if (bundle.Info.InChannels > 1) input = input.expand(-1, bundle.Info.InChannels, -1, -1);
        var probabilities = nn.functional.softmax(bundle.Model.call(input), 1).to(CPU).contiguous();
        int classes = (int)probabilities.shape[1];
        var values = probabilities.data<float>().ToArray();
        return Enumerable.Range(0, count).Select(i => values.AsSpan(i * classes, classes).ToArray()).ToArray();
    }

    /// <summary>Mean probability over members; the class by <see cref="Vote"/> with the tie rule of <see cref="Ensembles.MajorityVote"/>.</summary>
    private ImagePrediction Combine(string file, List<float[]> members)
    {
        int k = members[0].Length;
        var mean = new float[k];
        for (int c = 0; c < k; c++) mean[c] = (float)(members.Sum(p => (double)p[c]) / members.Count);
        var votes = new int[k];
        foreach (var p in members) votes[ArgMax(p)]++;
        int winner = 0;
        for (int c = 1; c < k; c++)
        {
            bool better = Vote == EnsembleVote.Majority
                ? votes[c] > votes[winner] || (votes[c] == votes[winner] && mean[c] > mean[winner])
                : mean[c] > mean[winner];
            if (better) winner = c;
        }
        return new ImagePrediction(file, winner, mean);
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Writes <c>image,pred,p_&lt;class&gt;...</c> atomically (the class-probability columns of predictions.csv).</summary>
    public static void WriteCsv(PredictionRun run, string path)
    {
        var text = new StringBuilder("image,pred");
        foreach (var name in run.ClassNames) text.Append(',').Append(Csv.Quote(PredictionTable.ColumnFor(name)));
        text.Append('\n');
        foreach (var row in run.Predictions)
        {
            text.Append(Csv.Quote(row.Image)).Append(',').Append(Csv.Quote(run.ClassNames[row.Predicted]));
            foreach (var p in row.Probabilities) text.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
            text.Append('\n');
        }
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
