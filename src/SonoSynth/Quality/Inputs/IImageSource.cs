using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

/// <summary>An ordered set of images (gray, or RGB under the pytorch-fid decode) that quality metrics read in batches, each optionally with a class.</summary>
public interface IImageSource
{
    /// <summary>Where the images come from, for reports ("folder 'synthetic/' (600 images)").</summary>
    string Description { get; }

    int Count { get; }

    /// <summary>A stable id per image (relative path or data-set id), for lists of nearest neighbours.</summary>
    string IdAt(int index);

    /// <summary>The image's class as a slug ("fetal_brain"), or null when the source has no classes.</summary>
    string? ClassAt(int index);

    /// <summary>Float images in [0,1], [B x C x size x size] (C = 1 gray or 3 RGB), each resized bilinearly (align_corners=False).</summary>
    Tensor LoadBatch(IReadOnlyList<int> indices, int size);
}
