namespace SonoSynth.Quality.Inception;

/// <summary>Which Inception-v3 variant to build.</summary>
/// <param name="ClassCount">Logits of the final fc layer.</param>
/// <param name="AuxHead">Build torchvision's AuxLogits head (only used in training mode).</param>
/// <param name="FidPooling">Use the TensorFlow 2015 graph's pooling (pytorch-fid's FIDInception blocks).</param>
public sealed record InceptionV3Options(int ClassCount, bool AuxHead, bool FidPooling)
{
    /// <summary>torchvision.models.inception_v3(): 1000 ImageNet classes with the aux head (27,161,264 parameters).</summary>
    public static InceptionV3Options Torchvision { get; } = new(1000, AuxHead: true, FidPooling: false);

    /// <summary>pytorch-fid's fid_inception_v3(): 1008 classes, no aux head, FID pooling; matches pt_inception-2015-12-05.</summary>
    public static InceptionV3Options Fid { get; } = new(1008, AuxHead: false, FidPooling: true);
}
