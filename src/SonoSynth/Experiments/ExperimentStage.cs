namespace SonoSynth.Experiments;

/// <summary>Stages in the order the pipeline needs them.</summary>
public enum ExperimentStage
{
    Data,
    Diffusion,
    GuidanceClassifier,
    Sampling,
    Quality,
    Classifiers,
    Ensembles,
}
