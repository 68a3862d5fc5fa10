// TEMPORARY: replaced at merge by the data branch
namespace SonoSynth.Data;

/// <summary>A data set loaded for training (temporary stand-in for the data branch's type).</summary>
public sealed class PreparedDataset(LabelledImages images) : IDisposable
{
    public LabelledImages Images { get; } = images;

    public void Dispose() => Images.Dispose();
}
