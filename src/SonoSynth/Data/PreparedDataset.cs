// TEMPORARY: replaced at merge by the data branch
namespace SonoSynth.Data;

/// <summary>A loaded data set: images plus per-image patient number and official train flag.</summary>
public sealed class PreparedDataset(LabelledImages images, IReadOnlyList<int> patientIds, IReadOnlyList<bool> officialTrain) : IDisposable
{
    public LabelledImages Images { get; } = images;
    public IReadOnlyList<int> PatientIds { get; } = patientIds;
    public IReadOnlyList<bool> OfficialTrain { get; } = officialTrain;
    public void Dispose() => Images.Dispose();
}
