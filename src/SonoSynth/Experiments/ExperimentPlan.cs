using SonoSynth.Ensembles;
using SonoSynth.Experiments.Stages;
using static SonoSynth.Experiments.ExperimentLayout;
using static TorchSharp.torch;

namespace SonoSynth.Experiments;

/// <summary>
/// Turns an <see cref="ExperimentConfig"/> into the graph of cells the paper's study needs:
/// data → diffusion U-Net → guidance classifier → synthetic sets → quality → classifier runs → ensembles.
/// Each cell's work is a stage in <c>Stages/</c>; cell ids and folders are <see cref="ExperimentLayout"/>'s.
/// </summary>
public sealed class ExperimentPlan(ExperimentConfig config, Device? device = null)
{
    private readonly Device device = device ?? CPU;

    public ExperimentConfig Config { get; } = config;

    public IReadOnlyList<ExperimentCell> Cells()
    {
        var cells = new List<ExperimentCell> { new(DataCell, ExperimentStage.Data, [], new DataStage(Config.Data).Run) };
        if (Config.Quality.Judge is { } judge)
            cells.Add(new(JudgeCell, ExperimentStage.Quality, [DataCell], c => SyntheticJudge.Train(judge, Config.Data.ImageSize, c, device)));
        foreach (var level in StudyLevel.Of(Config)) cells.AddRange(StudyCells(level));
        return cells;
    }

    private IEnumerable<ExperimentCell> StudyCells(StudyLevel level)
    {
        var cells = new List<ExperimentCell>();
        bool anySynthetic = Config.Synthetic.Any(s => s.Source == "");
        if (anySynthetic)
            cells.Add(new(DiffusionCell(level), ExperimentStage.Diffusion, [DataCell], new DiffusionStage(Config, level, device).Run));
        bool needsGuidance = Config.Synthetic.Any(s => s.Source == "" && s.Guidance == SyntheticGuidance.Classifier);
        if (needsGuidance)
            cells.Add(new(GuidanceCell(level), ExperimentStage.GuidanceClassifier, [DataCell], new GuidanceClassifierStage(Config, level, device).Run));
        foreach (var set in Config.Synthetic)
        {
            List<string> needs = set.Source != "" ? [DataCell]
                : set.Guidance == SyntheticGuidance.Classifier ? [DiffusionCell(level), GuidanceCell(level)] : [DiffusionCell(level)];
            cells.Add(new(SyntheticCell(set.Name, level), ExperimentStage.Sampling, needs, new SamplingStage(Config, set, level, device).Run));
            if (Config.Quality.Fid || Config.Quality.Judge is not null)
            {
                List<string> qualityNeeds = [SyntheticCell(set.Name, level), DataCell];
                if (Config.Quality.Judge is not null) qualityNeeds.Add(JudgeCell);
                cells.Add(new(QualityCell(set.Name, level), ExperimentStage.Quality, qualityNeeds, new QualityStage(Config, set, level, device).Run));
            }
        }
        foreach (var architecture in Config.Classifiers.Architectures)
            foreach (var run in Config.Classifiers.Runs)
                foreach (var seed in Config.Classifiers.Seeds)
                {
                    var needs = new List<string> { DataCell };
                    needs.AddRange(ExperimentConfigLoader.SyntheticParts(run.Synthetic)
                        .Where(p => p != ExperimentConfigLoader.AugmentedRealSet).Select(p => SyntheticCell(p, level)));
                    cells.Add(new(ClassifierCell(architecture, run, seed, level), ExperimentStage.Classifiers, needs,
                        new ClassifierStage(Config, architecture, run, seed, level, device).Run));
                }
        if (Config.Classifiers.EnsembleSizes.Count > 0 && Config.Classifiers.EnsembleRun >= 0)
        {
            var stage = new EnsembleStage(Config.Classifiers, Config.Classifiers.Runs[Config.Classifiers.EnsembleRun], level);
            cells.Add(new(EnsembleCell(level), ExperimentStage.Ensembles, stage.Members(), stage.Run));
        }
        if (Config.Classifiers.ComparisonMethods && Config.Classifiers.EnsembleRun >= 0)
            foreach (var method in ComparisonMethods.Names)
            {
                var stage = new ComparisonStage(Config, method, Config.Classifiers.Runs[Config.Classifiers.EnsembleRun], level, device);
                cells.Add(new(ComparisonCell(method, level), ExperimentStage.Ensembles, stage.Members(), stage.Run));
            }
        return cells;
    }
}
