namespace SonoSynth.Experiments.Stages;

/// <summary>One row of ensembles.json or a comparison.json: the ensemble's name, its member architectures and its test accuracy (0–1).</summary>
public sealed record EnsembleRecord(string Name, string[] Members, double Accuracy);
