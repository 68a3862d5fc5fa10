using System.Text.Json;
using SonoSynth.Ensembles;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Training;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// Table 11's majority votes over one run's classifiers: each architecture over its seeds (<c>&lt;arch&gt;-seeds.csv</c>),
/// then every k-of-n combination of architectures (<c>&lt;a+b+...&gt;.csv</c>), all listed in <c>ensembles.json</c>.
/// </summary>
public sealed class EnsembleStage(ClassifierGridSettings grid, ClassifierRunSettings run, StudyLevel level)
{
    private const string RecordsFile = "ensembles.json";

    /// <summary>The classifier cells whose predictions vote.</summary>
    public IReadOnlyList<string> Members() =>
        [.. grid.Architectures.SelectMany(a => grid.Seeds.Select(s => ExperimentLayout.ClassifierCell(a, run, s, level)))];

    public void Run(CellContext context)
    {
        var perArchitecture = new List<PredictionTable>();
        var names = new List<string>();
        var results = new List<EnsembleRecord>();
        foreach (var architecture in grid.Architectures)
        {
            var seeds = grid.Seeds.Select(s => new RunFolder(context.FolderOf(ExperimentLayout.ClassifierCell(architecture, run, s, level))).ReadPredictions()).ToList();
            var vote = seeds.Count > 1 ? MajorityVote.Vote(seeds) : seeds[0];
            if (seeds.Count > 1)
            {
                vote.Write(PredictionsPath(context.Folder, $"{architecture}-seeds"));
                results.Add(new EnsembleRecord($"{architecture} ({seeds.Count} seeds)", [architecture], vote.Accuracy));
            }
            perArchitecture.Add(vote);
            names.Add(architecture);
        }
        var sizes = grid.EnsembleSizes.Where(k => k <= perArchitecture.Count).ToList();
        foreach (var outcome in sizes.Count == 0 ? [] : EnsembleCombinations.Sweep(perArchitecture, names, sizes, soft: false))
        {
            var key = string.Join("+", outcome.MemberNames);
            outcome.Predictions.Write(PredictionsPath(context.Folder, key));
            results.Add(new EnsembleRecord(key, [.. outcome.MemberNames], outcome.Accuracy));
        }
        AtomicFile.WriteAllText(Path.Combine(context.Folder, RecordsFile), JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The ensembles an ensemble cell scored (empty before it has run).</summary>
    public static List<EnsembleRecord> Read(string cellFolder)
    {
        var path = Path.Combine(cellFolder, RecordsFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<List<EnsembleRecord>>(File.ReadAllText(path))! : [];
    }

    /// <summary>The test predictions of the k-of-n ensemble <paramref name="name"/> ("resnet50+vit_b_32"), or null when it was not written.</summary>
    public static PredictionTable? ReadPredictions(string cellFolder, string name)
    {
        var path = PredictionsPath(cellFolder, name);
        return File.Exists(path) ? PredictionTable.Read(path) : null;
    }

    private static string PredictionsPath(string cellFolder, string name) => Path.Combine(cellFolder, name + ".csv");
}
