namespace SonoSynth.Quality;

/// <summary>Settings of a synthetic-vs-real quality comparison (FID, KID, precision/recall).</summary>
/// <param name="BatchSize">Images per feature-extractor batch (pytorch-fid's default is 50).</param>
/// <param name="ClassFilter">Compare only this class (name or slug) on both sides.</param>
/// <param name="PerClass">Also compare synthetic class c with real class c for every shared class (Table 3).</param>
/// <param name="Kid">Also compute KID (needs features on both sides, not .npz statistics).</param>
/// <param name="PrecisionRecall">Also compute improved precision/recall (needs features on both sides).</param>
/// <param name="Seed">Seed of the KID subset draws.</param>
public sealed record QualityOptions(
    int BatchSize = 50,
    string? ClassFilter = null,
    bool PerClass = false,
    bool Kid = true,
    bool PrecisionRecall = true,
    int KidSubsets = KernelInceptionDistance.DefaultSubsets,
    int KidSubsetSize = KernelInceptionDistance.DefaultSubsetSize,
    int NeighbourCount = SonoSynth.Quality.PrecisionRecall.DefaultNeighbourCount,
    ulong Seed = 0)
{
    /// <summary>pytorch-fid / torch-fidelity defaults.</summary>
    public static QualityOptions Default { get; } = new();
}
