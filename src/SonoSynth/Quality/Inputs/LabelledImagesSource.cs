using SonoSynth.Data;
using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

/// <summary>An in-memory <see cref="LabelledImages"/> set (a prepared data set) as an image source. Does not own it.</summary>
public sealed class LabelledImagesSource(LabelledImages images, string description) : IImageSource
{
    public string Description { get; } = description;
    public int Count => images.Count;
    public string IdAt(int index) => images.Ids[index];
    public string? ClassAt(int index) => PlaneClasses.Slug(images.ClassNames[(int)images.Labels[index]]);

    public Tensor LoadBatch(IReadOnlyList<int> indices, int size)
    {
        using var scope = NewDisposeScope();
        var rows = indices.Select(i => (long)i).ToArray();
        var batch = images.FloatBatch(rows);
        // Several channels (e.g. RGB caches) become gray by averaging; our caches are one channel already.
        if (batch.shape[1] != 1) batch = batch.mean([1], keepdim: true);
        return ImageResize.ToSquare(batch, size).MoveToOuterDisposeScope();
    }
}
