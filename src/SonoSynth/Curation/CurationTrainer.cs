using SonoSynth.Imaging;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Curation;

/// <summary>
/// Trains the good/bad <see cref="CurationNet"/> on a curator's labels. Labels are often imbalanced (most samples
/// look fine), so the loss weights each class by N / (2 · n_class); a stratified held-out split reports accuracy.
/// </summary>
public static class CurationTrainer
{
    /// <summary>Loads the labelled images of <paramref name="images"/> (skips are left out) and trains.</summary>
    public static (CurationModel Model, CurationTrainingReport Report) Train(SyntheticImageSet images, LabelStore labels,
        CurationTrainingOptions options, Device? device = null, IProgress<ProgressUpdate>? progress = null)
    {
        options.Validate();
        var current = labels.Current;
        var labelled = images.Images
            .Where(i => current.TryGetValue(i.Id, out var r) && r.Verdict != CurationVerdict.Skip)
            .ToList();
        int skipped = images.Images.Count(i => current.TryGetValue(i.Id, out var r) && r.Verdict == CurationVerdict.Skip);
        var isGood = labelled.Select(i => current[i.Id].Verdict == CurationVerdict.Good).ToArray();
        int good = isGood.Count(g => g), bad = isGood.Length - good;
        if (good < 2 || bad < 2)
            throw new InputError($"Training needs at least 2 good and 2 bad labels among the images of '{images.Folder}'; " +
                $"the store '{labels.Folder}' has {good} good and {bad} bad for them. Label more with 'sonosynth curate serve'.");
        using var pixels = LoadPixels(labelled, options.ImageSize, progress);
        return Train(pixels, isGood, options, device, progress, skipped);
    }

    /// <summary>Trains on uint8 pixels [N x 1 x S x S] with <paramref name="isGood"/> per row.</summary>
    public static (CurationModel Model, CurationTrainingReport Report) Train(Tensor pixels, bool[] isGood,
        CurationTrainingOptions options, Device? device = null, IProgress<ProgressUpdate>? progress = null, int skippedCount = 0)
    {
        options.Validate();
        if (pixels.shape[0] != isGood.Length)
            throw new ArgumentException($"{pixels.shape[0]} images but {isGood.Length} labels.");
        device ??= CPU;
        var generator = new Generator((ulong)options.Seed);
        var (trainRows, heldOutRows) = StratifiedSplit(isGood, options.HeldOutFraction, generator);

        torch.manual_seed(options.Seed); // weight initialisation
        var net = new CurationNet(options.BaseChannels);
        net.to(device);
        using var optimizer = optim.Adam(net.parameters(), options.LearningRate);

        int good = isGood.Count(g => g), bad = isGood.Length - good;
        int trainGood = trainRows.Count(r => isGood[r]), trainBad = trainRows.Length - trainGood;
        // Class weights N / (2 n_c): each class contributes equally to the loss whatever the imbalance.
        float goodWeight = trainRows.Length / (2f * trainGood), badWeight = trainRows.Length / (2f * trainBad);
        int batchesPerEpoch = (trainRows.Length + options.BatchSize - 1) / options.BatchSize;
        double lastEpochLoss = double.NaN;
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            net.train();
            using var order = torch.randperm(trainRows.Length, generator: generator);
            var shuffled = order.data<long>().Select(i => trainRows[i]).ToArray();
            double lossSum = 0;
            int seen = 0;
            for (int start = 0; start < shuffled.Length; start += options.BatchSize)
            {
                var rows = shuffled.AsSpan(start, Math.Min(options.BatchSize, shuffled.Length - start)).ToArray();
                if (rows.Length < 2) continue; // batch norm needs two samples
                using var scope = torch.NewDisposeScope();
                var (batch, target, weight) = Batch(pixels, isGood, rows, goodWeight, badWeight, device);
                optimizer.zero_grad();
                var loss = nn.functional.binary_cross_entropy_with_logits(net.call(batch), target, weight);
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * rows.Length;
                seen += rows.Length;
                progress?.Report(ProgressUpdate.Of("train quality classifier",
                    (long)epoch * batchesPerEpoch + start / options.BatchSize + 1, (long)options.Epochs * batchesPerEpoch,
                    ("epoch", epoch + 1), ("loss", lossSum / seen)));
            }
            lastEpochLoss = seen > 0 ? lossSum / seen : double.NaN;
        }
        RecalibrateBatchNorm(net, pixels, trainRows, options.BatchSize, device);

        var info = new CurationModelInfo(options.ImageSize, options.BaseChannels, options.Threshold, good, bad,
            double.NaN, double.NaN, DateTime.UtcNow);
        var model = new CurationModel(net, info);
        var (accuracy, balanced) = Evaluate(model, pixels, isGood, heldOutRows, options.Threshold);
        model = new CurationModel(net, info with { HeldOutAccuracy = accuracy, HeldOutBalancedAccuracy = balanced });
        var report = new CurationTrainingReport(good, bad, skippedCount, trainRows.Length, heldOutRows.Length,
            accuracy, balanced, lastEpochLoss);
        return (model, report);
    }

    /// <summary>
    /// Recomputes batch-norm statistics with the final weights, as an exact average over the training images.
    /// With few steps and a high learning rate, the running averages collected during training trail the weights
    /// far behind, and the evaluation-mode network can collapse to one class.
    /// </summary>
    private static void RecalibrateBatchNorm(CurationNet net, Tensor pixels, long[] rows, int batchSize, Device device)
    {
        using var noGrad = torch.no_grad();
        var norms = net.modules().OfType<TorchSharp.Modules.BatchNorm2d>().ToList();
        foreach (var norm in norms)
        {
            norm.reset_running_stats();
            norm.momentum = null; // null momentum = cumulative average over all batches seen
        }
        net.train();
        for (int start = 0; start < rows.Length; start += batchSize)
        {
            var batchRows = rows.AsSpan(start, Math.Min(batchSize, rows.Length - start)).ToArray();
            if (batchRows.Length < 2) continue;
            using var scope = torch.NewDisposeScope();
            using var index = torch.tensor(batchRows, dtype: ScalarType.Int64);
            net.call(pixels.index_select(0, index).to(device).to_type(ScalarType.Float32).div_(255f));
        }
        foreach (var norm in norms) norm.momentum = 0.1;
        net.eval();
    }

    /// <summary>uint8 [N x 1 x S x S] for the given images, reporting progress while decoding.</summary>
    public static Tensor LoadPixels(IReadOnlyList<SyntheticImage> images, int size, IProgress<ProgressUpdate>? progress = null)
    {
        var bytes = new byte[(long)images.Count * size * size];
        var policy = DecodePolicy.Curation(size);
        for (int i = 0; i < images.Count; i++)
        {
            GrayImage image;
            try { image = ImageDecoder.DecodeGray(images[i].FullPath, policy); }
            catch (InputError e) { throw new InputError(ImageDecoder.WithoutSkipAdvice(e.Message) + " Regenerate it or remove it from the manifest.", e); }
            image.Pixels.CopyTo(bytes, (long)i * size * size);
            if ((i + 1) % 64 == 0 || i + 1 == images.Count)
                progress?.Report(ProgressUpdate.Of("load images", i + 1, images.Count));
        }
        return torch.tensor(bytes, dtype: ScalarType.Byte).reshape(images.Count, 1, size, size);
    }

    private static (Tensor Batch, Tensor Target, Tensor Weight) Batch(Tensor pixels, bool[] isGood, long[] rows,
        float goodWeight, float badWeight, Device device)
    {
        var index = torch.tensor(rows, dtype: ScalarType.Int64);
        var batch = pixels.index_select(0, index).to(device).to_type(ScalarType.Float32).div_(255f);
        var target = torch.tensor(rows.Select(r => isGood[r] ? 1f : 0f).ToArray()).to(device);
        var weight = torch.tensor(rows.Select(r => isGood[r] ? goodWeight : badWeight).ToArray()).to(device);
        return (batch, target, weight);
    }

    /// <summary>Per class: shuffle, hold out round(fraction · n) rows (at least one when the fraction is positive).</summary>
    private static (long[] Train, long[] HeldOut) StratifiedSplit(bool[] isGood, double fraction, Generator generator)
    {
        var train = new List<long>();
        var heldOut = new List<long>();
        foreach (var cls in new[] { true, false })
        {
            var rows = Enumerable.Range(0, isGood.Length).Where(r => isGood[r] == cls).Select(r => (long)r).ToArray();
            using var order = torch.randperm(rows.Length, generator: generator);
            var shuffled = order.data<long>().Select(i => rows[i]).ToArray();
            int hold = fraction <= 0 ? 0 : Math.Clamp((int)Math.Round(fraction * rows.Length), 1, rows.Length - 1);
            heldOut.AddRange(shuffled.Take(hold));
            train.AddRange(shuffled.Skip(hold));
        }
        return (train.Order().ToArray(), heldOut.Order().ToArray());
    }

    private static (double Accuracy, double Balanced) Evaluate(CurationModel model, Tensor pixels, bool[] isGood,
        long[] rows, double threshold)
    {
        if (rows.Length == 0) return (double.NaN, double.NaN);
        using var index = torch.tensor(rows, dtype: ScalarType.Int64);
        using var subset = pixels.index_select(0, index);
        var scores = model.Score(subset);
        int correct = 0, goodTotal = 0, goodHit = 0, badTotal = 0, badHit = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            bool predictedGood = scores[i] >= threshold, actualGood = isGood[rows[i]];
            if (predictedGood == actualGood) correct++;
            if (actualGood) { goodTotal++; if (predictedGood) goodHit++; }
            else { badTotal++; if (!predictedGood) badHit++; }
        }
        double balanced = ((double)goodHit / goodTotal + (double)badHit / badTotal) / 2;
        return ((double)correct / rows.Length, balanced);
    }
}
