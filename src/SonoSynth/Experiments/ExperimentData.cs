using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.IO;
using SonoSynth.Runtime;
using SonoSynth.Training;

namespace SonoSynth.Experiments;

/// <summary>
/// The real images of an experiment, split once: the data cell writes <c>data.json</c> (where the data set is and
/// which rows are train, validation and test), and every later cell reads the same split from it.
/// </summary>
public sealed class ExperimentData : IDisposable
{
    private const string FileName = "data.json";

    internal sealed record SplitFile(string Source, int ImageSize, string Split, int SplitSeed, int PatientsOnBothSides,
        int[] Train, int[] Validation, int[] Test);

    private ExperimentData(PreparedDataset dataset, SplitFile split)
    {
        Dataset = dataset;
        Split = split.Split;
        PatientsOnBothSides = split.PatientsOnBothSides;
        TrainRows = split.Train;
        ValidationRows = split.Validation;
        TestRows = split.Test;
    }

    public PreparedDataset Dataset { get; }
    public string Split { get; }
    public int PatientsOnBothSides { get; }
    public IReadOnlyList<int> TrainRows { get; }
    public IReadOnlyList<int> ValidationRows { get; }
    public IReadOnlyList<int> TestRows { get; }
    public IReadOnlyList<string> ClassNames => Dataset.Images.ClassNames;

    /// <summary>Training rows including the validation share (what the diffusion model learns from, as in the paper).</summary>
    public IReadOnlyList<int> AllTrainRows => [.. TrainRows.Concat(ValidationRows).Order()];

    /// <summary>Records the split (the data cell, <see cref="Stages.DataStage"/>, calls this once).</summary>
    internal static void Write(string dataCellFolder, SplitFile split) =>
        AtomicFile.WriteAllText(Path.Combine(dataCellFolder, FileName), JsonSerializer.Serialize(split));

    public static ExperimentData Load(string experimentFolder, IProgress<ProgressUpdate>? progress = null)
    {
        var path = Path.Combine(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.DataCell), FileName);
        if (!File.Exists(path)) throw new InputError($"'{path}' is missing: the data cell has not run. Run 'sonosynth experiment run' first.");
        var split = JsonSerializer.Deserialize<SplitFile>(File.ReadAllText(path))!;
        return new ExperimentData(DataSources.Open(split.Source, split.ImageSize, progress: progress), split);
    }

    public LabelledImages Subset(IReadOnlyList<int> rows) => Dataset.Images.Subset(rows);

    /// <summary>
    /// The real rows a study trains on: the whole training split (the diffusion model and guidance classifier also learn
    /// from its validation share, as the paper trains them on all training images, unless
    /// <see cref="DataSettings.GeneratorUsesValidation"/> is false), or the scarce subset, which everything in that
    /// study uses alone.
    /// </summary>
    public StudyRows RowsOf(StudyLevel level, DataSettings settings)
    {
        if (level.PerClass is not int n) return new(TrainRows, ValidationRows, settings.GeneratorUsesValidation ? AllTrainRows : TrainRows);
        var (train, validation) = ScarceRows(n, settings.ValidationFraction, settings.SplitSeed);
        return new(train, validation, train);
    }

    /// <summary>
    /// The rows of a data-scarcity study with <paramref name="perClass"/> training images per class: the first per class in a
    /// seeded shuffle of the training rows, so a smaller study's images are among a larger one's. Its validation set is as
    /// scarce (⌈n·f/(1−f)⌉ per class, at least 2, from the validation rows, f = <paramref name="validationFraction"/>).
    /// </summary>
    public (IReadOnlyList<int> Train, IReadOnlyList<int> Validation) ScarceRows(int perClass, double validationFraction, int seed)
    {
        int validationPerClass = validationFraction <= 0 || ValidationRows.Count == 0 ? 0
            : Math.Max(2, (int)Math.Ceiling(perClass * validationFraction / (1 - validationFraction)));
        return (FirstPerClass(TrainRows, perClass, seed), FirstPerClass(ValidationRows, validationPerClass, seed + 1));
    }

    private int[] FirstPerClass(IReadOnlyList<int> rows, int perClass, int seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed ^ 0x5CA4CEUL);
        using var permutation = TorchSharp.torch.randperm(rows.Count, generator: generator);
        var shuffled = permutation.data<long>().ToArray().Select(i => rows[(int)i]).ToArray();
        var labels = Dataset.Images.Labels;
        var chosen = new List<int>();
        for (int c = 0; c < ClassNames.Count; c++)
        {
            var ofClass = shuffled.Where(r => labels[r] == c).Take(perClass).ToList();
            if (ofClass.Count < perClass)
                throw new InputError($"data.trainPerClass asks for {perClass} images of class '{ClassNames[c]}' but the split has only " +
                    $"{ofClass.Count}. Use a smaller size or more data (data.phantomPerClass).");
            chosen.AddRange(ofClass);
        }
        return [.. chosen.Order()];
    }

    public void Dispose() => Dataset.Dispose();
}

/// <summary>Rows of one study: classifiers train on <paramref name="Train"/> and pick their epoch on <paramref name="Validation"/>;
/// the diffusion model and guidance classifier learn from <paramref name="Generative"/>.</summary>
public sealed record StudyRows(IReadOnlyList<int> Train, IReadOnlyList<int> Validation, IReadOnlyList<int> Generative);
