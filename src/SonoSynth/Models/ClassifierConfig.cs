namespace SonoSynth.Models;

/// <summary>How to build a classifier: input channels (1 for grayscale ultrasound), classes, input size.</summary>
public sealed record ClassifierConfig(int InChannels = 1, int NumClasses = 6, int ImageSize = 128)
{
    /// <summary>torchvision's ImageNet shape, for checking parameter counts against published numbers.</summary>
    public static ClassifierConfig ImageNet { get; } = new(3, 1000, 224);
}
