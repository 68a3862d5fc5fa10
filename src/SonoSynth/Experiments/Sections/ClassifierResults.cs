using SonoSynth.Ensembles;
using SonoSynth.Experiments.Stages;

namespace SonoSynth.Experiments.Sections;

/// <summary>The full study's finished classifier, ensemble and comparison cells, each read once for all the report's tables.</summary>
public sealed class ClassifierResults(ExperimentConfig config, string experimentFolder)
{
    private readonly Dictionary<string, ClassifierCellResult?> results = new();
    private IReadOnlyList<EnsembleRecord>? ensembles;

    public ClassifierCellResult? Result(string architecture, ClassifierRunSettings run, int seed)
    {
        var id = ExperimentLayout.ClassifierCell(architecture, run, seed, StudyLevel.Full);
        if (!results.TryGetValue(id, out var result))
            results[id] = result = ClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, id));
        return result;
    }

    /// <summary>The finished seeds of one architecture and run.</summary>
    public List<ClassifierCellResult> Seeds(string architecture, ClassifierRunSettings run) =>
        config.Classifiers.Seeds.Select(s => Result(architecture, run, s)).OfType<ClassifierCellResult>().ToList();

    /// <summary>The ensemble cell's majority votes, then each finished comparison method.</summary>
    public IReadOnlyList<EnsembleRecord> Ensembles()
    {
        if (ensembles is not null) return ensembles;
        var records = EnsembleStage.Read(EnsembleFolder);
        foreach (var method in ComparisonMethods.Names)
            if (ComparisonStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.ComparisonCell(method, StudyLevel.Full))) is { } comparison)
                records.Add(comparison);
        return ensembles = records;
    }

    public string EnsembleFolder => ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.EnsembleCell(StudyLevel.Full));
}
