namespace SonoSynth.Experiments;

/// <summary>
/// One study of an experiment: all of the training split (the paper), or <see cref="PerClass"/> real images per class
/// (data.trainPerClass, a data-scarcity study). A scarce study has its own diffusion model, guidance classifier,
/// synthetic sets and classifier runs, in cells under <c>n&lt;size&gt;/</c>.
/// </summary>
public sealed record StudyLevel(int? PerClass)
{
    public static StudyLevel Full { get; } = new((int?)null);

    /// <summary>The studies a config asks for, smallest first.</summary>
    public static IReadOnlyList<StudyLevel> Of(ExperimentConfig config) => config.Data.TrainPerClass.Count == 0
        ? [Full] : [.. config.Data.TrainPerClass.Order().Select(n => new StudyLevel(n))];

    /// <summary>The id of a cell of this study, e.g. "n30/diffusion/unet".</summary>
    public string Cell(string id) => PerClass is int n ? $"n{n}/{id}" : id;

    public string Describe() => PerClass is int n ? $"{n} real training images per class" : "the whole training split";
}
