namespace SonoSynth.Experiments;

/// <summary>
/// One unit of an experiment grid (train the diffusion model, sample a synthetic set, train one classifier
/// with one regime and seed, ...). Cells are idempotent: each owns <c>cells/&lt;Id&gt;/</c> and is recomputed
/// only if it has not finished there.
/// </summary>
/// <param name="Id">Path-like and unique, e.g. "classify/resnet50/pretrain-finetune/round1/seed0".</param>
/// <param name="Stage">Stages run in dependency order; Slurm gets one job array per stage.</param>
/// <param name="DependsOn">Ids of cells whose outputs this one reads.</param>
/// <param name="Run">Does the work in the given folder; may resume from what a killed attempt left there.</param>
public sealed record ExperimentCell(string Id, ExperimentStage Stage, IReadOnlyList<string> DependsOn, Action<CellContext> Run);
