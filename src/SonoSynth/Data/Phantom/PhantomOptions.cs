namespace SonoSynth.Data.Phantom;

/// <summary>
/// Settings of the built-in phantom data set. <see cref="ImagesPerPatient"/> consecutive images share a patient
/// (and that patient's probe, gain and attenuation), so patient leakage can be studied; <see cref="TestFraction"/>
/// of the patients form the official test set (Train = 0), as FETAL_PLANES_DB's split is by patient.
/// </summary>
public sealed record PhantomOptions(int PerClass = 100, int Seed = 0, int ImageSize = 128, int ImagesPerPatient = 6,
    double TestFraction = 0.2)
{
    /// <summary>For demos and tests on 2 CPU cores: 600 images, written in a few seconds.</summary>
    public static PhantomOptions Demo { get; } = new();
    /// <summary>Tiny, for unit tests.</summary>
    public static PhantomOptions Tiny { get; } = new(PerClass: 4, ImageSize: 64, ImagesPerPatient: 3);

    public void Validate()
    {
        if (PerClass < 1) throw new InputError($"--per-class {PerClass}: write at least one image per class.");
        if (PerClass > 100_000) throw new InputError($"--per-class {PerClass}: at most 100,000 images per class.");
        if (ImageSize < 16 || ImageSize > 1024) throw new InputError($"--size {ImageSize}: the phantom image size must be 16..1024 pixels.");
        if (ImagesPerPatient < 1) throw new InputError($"Images per patient {ImagesPerPatient} must be at least 1.");
        if (TestFraction < 0 || TestFraction >= 1) throw new InputError($"Test fraction {TestFraction} must be within [0, 1).");
    }
}
