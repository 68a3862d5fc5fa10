using static TorchSharp.torch;

namespace SonoSynth.Quality.Inputs;

internal static class ImageResize
{
    /// <summary>
    /// [B x C x H x W] → [B x C x size x size], bilinear with align_corners=False and no antialiasing: what
    /// pytorch-fid's F.interpolate does before Inception. Unchanged when already that size.
    /// </summary>
    public static Tensor ToSquare(Tensor images, int size) =>
        images.shape[2] == size && images.shape[3] == size ? images.alias() :
            nn.functional.interpolate(images, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
}
