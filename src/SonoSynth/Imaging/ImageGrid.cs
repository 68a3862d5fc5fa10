using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Imaging;

/// <summary>Tiles a batch of one-channel images into one grayscale PNG (sample grids, report figures).</summary>
public static class ImageGrid
{
    /// <summary>
    /// <paramref name="images"/>: [N x 1 x H x W], float in [0,1] (or [-1,1] with <paramref name="signed"/>) or uint8.
    /// Images fill rows of <paramref name="columns"/>, separated by a 2-pixel black border.
    /// </summary>
    public static void Save(string path, Tensor images, int columns, bool signed = false)
    {
        using var scope = NewDisposeScope();
        var bytes = ToBytes(images, signed);
        int count = (int)bytes.shape[0], height = (int)bytes.shape[2], width = (int)bytes.shape[3];
        columns = Math.Max(1, Math.Min(columns, count));
        int rows = (count + columns - 1) / columns;
        const int border = 2;
        int gridWidth = columns * (width + border) + border, gridHeight = rows * (height + border) + border;
        var grid = new byte[gridWidth * gridHeight];
        var source = bytes.contiguous().data<byte>().ToArray();
        for (int n = 0; n < count; n++)
        {
            int top = border + n / columns * (height + border), left = border + n % columns * (width + border);
            for (int y = 0; y < height; y++)
                Array.Copy(source, n * height * width + y * width, grid, (top + y) * gridWidth + left, width);
        }
        GrayPng.Save(path, grid, gridWidth, gridHeight);
    }

    /// <summary>uint8 [N x 1 x H x W] from float images, clamped.</summary>
    public static Tensor ToBytes(Tensor images, bool signed = false)
    {
        if (images.dtype == ScalarType.Byte) return images.alias();
        var unit = signed ? images.add(1).div(2) : images;
        return unit.clamp(0, 1).mul(255).round().to_type(ScalarType.Byte).cpu();
    }
}
