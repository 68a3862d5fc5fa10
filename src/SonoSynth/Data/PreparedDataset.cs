// TEMPORARY: replaced at merge by the data branch
namespace SonoSynth.Data;

/// <summary>A data set opened by <see cref="DataSources.Open"/>: its labelled images, owned and disposed here.</summary>
public sealed class PreparedDataset(LabelledImages images) : IDisposable
{
    public LabelledImages Images { get; } = images;
    public void Dispose() => Images.Dispose();
}
