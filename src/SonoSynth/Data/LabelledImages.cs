using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>
/// An in-memory labelled image set: uint8 pixels [N x 1 x H x W] (compact; converted to float in [0,1]
/// one batch at a time), one class index per image, and a stable id per image (file name or synthetic id).
/// This is what prepared caches load into and what every trainer consumes.
/// </summary>
public sealed class LabelledImages : IDisposable
{
    public LabelledImages(Tensor pixels, long[] labels, IReadOnlyList<string> classNames, IReadOnlyList<string> ids)
    {
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4)
            throw new ArgumentException($"Pixels must be uint8 [N x C x H x W]; got {pixels.dtype} {string.Join("x", pixels.shape)}.");
        if (pixels.shape[0] != labels.Length || ids.Count != labels.Length)
            throw new ArgumentException($"{pixels.shape[0]} images but {labels.Length} labels and {ids.Count} ids.");
        Pixels = pixels.DetachFromDisposeScope();
        Labels = labels;
        ClassNames = classNames;
        Ids = ids;
    }

    /// <summary>uint8 [N x C x H x W].</summary>
    public Tensor Pixels { get; }
    public long[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<string> Ids { get; }
    public int Count => Labels.Length;
    public int Channels => (int)Pixels.shape[1];
    public int Height => (int)Pixels.shape[2];
    public int Width => (int)Pixels.shape[3];

    /// <summary>Float images in [0,1], [B x C x H x W], for the given rows.</summary>
    public Tensor FloatBatch(ReadOnlySpan<long> rows)
    {
        using var index = torch.tensor(rows.ToArray(), dtype: ScalarType.Int64);
        return Pixels.index_select(0, index).to_type(ScalarType.Float32).div_(255f);
    }

    public Tensor LabelBatch(ReadOnlySpan<long> rows)
    {
        var picked = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++) picked[i] = Labels[rows[i]];
        return torch.tensor(picked, dtype: ScalarType.Int64);
    }

    /// <summary>A new set holding copies of the given rows.</summary>
    public LabelledImages Subset(IReadOnlyList<int> rows)
    {
        using var index = torch.tensor(rows.Select(r => (long)r).ToArray(), dtype: ScalarType.Int64);
        return new LabelledImages(Pixels.index_select(0, index), rows.Select(r => Labels[r]).ToArray(),
            ClassNames, rows.Select(r => Ids[r]).ToArray());
    }

    /// <summary>Images per class, in class-index order.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (var label in Labels) counts[label]++;
        return counts;
    }

    /// <summary>Concatenates sets with the same class names and image shape (e.g. synthetic + real for the mixed regime).</summary>
    public static LabelledImages Concat(params LabelledImages[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("Nothing to concatenate.");
        foreach (var part in parts)
            if (!part.ClassNames.SequenceEqual(parts[0].ClassNames))
                throw new ArgumentException("Cannot combine image sets with different class names.");
        var pixels = torch.cat(parts.Select(p => p.Pixels).ToArray(), 0);
        return new LabelledImages(pixels, parts.SelectMany(p => p.Labels).ToArray(), parts[0].ClassNames,
            parts.SelectMany(p => p.Ids).ToArray());
    }

    public void Dispose() => Pixels.Dispose();
}
