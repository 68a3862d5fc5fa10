using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>
/// A set of traditionally augmented copies of real images, the "30000 traditional augmentation" pretraining set of
/// the paper's Table 12: image i of the result is an augmented copy of real image i mod N, deterministic for a seed.
/// </summary>
public static class AugmentedCopies
{
    public static LabelledImages Make(LabelledImages real, int count, AugmentationSettings augmentation, long seed, int batchSize = 256)
    {
        var generator = new Generator().manual_seed(seed);
        var chunks = new List<Tensor>();
        var labels = new long[count];
        var ids = new string[count];
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int size = Math.Min(batchSize, count - start);
            var rows = new long[size];
            for (int i = 0; i < size; i++)
            {
                rows[i] = (start + i) % real.Count;
                labels[start + i] = real.Labels[rows[i]];
                ids[start + i] = $"{real.Ids[(int)rows[i]]}#aug{start + i}";
            }
            var augmented = BatchAugmenter.Apply(real.FloatBatch(rows), augmentation, generator);
            chunks.Add(augmented.mul(255).round_().clamp_(0, 255).to_type(ScalarType.Byte).MoveToOuterDisposeScope());
        }
        var pixels = cat(chunks, 0);
        foreach (var chunk in chunks) chunk.Dispose();
        return new LabelledImages(pixels, labels, real.ClassNames, ids);
    }
}
