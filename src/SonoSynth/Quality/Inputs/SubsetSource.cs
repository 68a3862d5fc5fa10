using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

/// <summary>Some rows of another source (one class, a held-out split), in the given order.</summary>
public sealed class SubsetSource(IImageSource parent, IReadOnlyList<int> rows, string description) : IImageSource
{
    public IReadOnlyList<int> Rows { get; } = rows;
    public string Description { get; } = description;
    public int Count => Rows.Count;
    public string IdAt(int index) => parent.IdAt(Rows[index]);
    public string? ClassAt(int index) => parent.ClassAt(Rows[index]);
    public Tensor LoadBatch(IReadOnlyList<int> indices, int size) => parent.LoadBatch(indices.Select(i => Rows[i]).ToList(), size);

    /// <summary>The rows of <paramref name="source"/> whose class slug equals <paramref name="classSlug"/>.</summary>
    public static SubsetSource OfClass(IImageSource source, string classSlug)
    {
        var rows = Enumerable.Range(0, source.Count).Where(i => source.ClassAt(i) == classSlug).ToList();
        return new SubsetSource(source, rows, $"{source.Description}, class {classSlug}");
    }
}
