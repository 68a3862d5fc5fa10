namespace SonoSynth.Imaging;

/// <summary>8-bit gray pixels, row-major, as <see cref="ImageDecoder"/> returns them.</summary>
public sealed record GrayImage(byte[] Pixels, int Width, int Height);
