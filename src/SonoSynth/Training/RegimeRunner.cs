using SonoSynth.Data;
using SonoSynth.Inference;
using SonoSynth.Metrics;
using SonoSynth.Models;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// The image sets a regime needs. <see cref="Validation"/> is carved from the real training data by the caller;
/// it chooses the epoch for the honest test accuracy in every phase that trains on real images and in
/// synthetic-only (where it is the only real data the run sees besides the test set).
/// </summary>
public sealed record RegimeData(LabelledImages RealTrain, LabelledImages Test, LabelledImages? Validation = null,
    LabelledImages? Synthetic = null);

/// <summary>
/// Settings of a regime run. <see cref="Finetune"/> is used for every phase on real data (and for mixed),
/// <see cref="Pretrain"/> for phases on synthetic data. Augmentations are per phase, as the paper's ablations need.
/// </summary>
public sealed record RegimeSettings(TrainingRegime Regime, ImageClassifierTrainingOptions Finetune, ImageClassifierTrainingOptions Pretrain,
    Func<Tensor, Generator, Tensor>? FinetuneAugment = null, Func<Tensor, Generator, Tensor>? PretrainAugment = null,
    long ModelSeed = 0);

/// <summary>The outcome of a regime: each phase's result, the final phase's test predictions and where they are.</summary>
public sealed record RegimeResult(TrainingRegime Regime, IReadOnlyList<(string Phase, TrainingResult Result)> Phases,
    PredictionTable Predictions, string PredictionsPath, string PredictionWeights);

/// <summary>
/// Runs one regime end to end: builds the model (torch.manual_seed(ModelSeed) first, so initial weights are
/// reproducible), trains each phase into its own sub-folder (<c>pretrain/</c>, <c>finetune/</c>, <c>lastlayer/</c>,
/// <c>real/</c>, <c>synthetic/</c>, <c>mixed/</c>), and writes <c>predictions.csv</c> for the test set plus
/// <c>regime.json</c>. A finished phase is never recomputed: its final weights are loaded instead; an unfinished
/// one resumes from its checkpoint when <c>resume</c> is set.
/// <para>
/// Predictions come from the final phase's validation-selected weights when a validation split was given, else
/// from its best-test-epoch weights (the paper's choice). Pretraining always hands its final weights to the next
/// phase. In pretrain-lastlayer the pretrained head is kept (same classes) and only it is trained further.
/// </para>
/// </summary>
public sealed class RegimeRunner(RegimeSettings settings)
{
    public RegimeSettings Settings { get; } = settings;
    public Device Device { get; init; } = CPU;
    public IProgress<ProgressUpdate>? Progress { get; init; }

    public RegimeResult Run(Func<ImageClassifier> modelFactory, RegimeData data, string folder, bool resume = false,
        CancellationToken cancellation = default)
    {
        var regime = Settings.Regime;
        if (regime.NeedsSynthetic() && data.Synthetic is null)
            throw new InputError($"Regime {regime.Name()} needs a synthetic image set. Pass --synthetic <folder>.");
        Directory.CreateDirectory(folder);
        torch.manual_seed(Settings.ModelSeed);
        using var model = modelFactory();
        var phases = new List<(string, TrainingResult)>();
        string lastFolder;
        switch (regime)
        {
            case TrainingRegime.RealOnly:
                lastFolder = RunPhase("real", model, data.RealTrain, data, Settings.Finetune, Settings.FinetuneAugment, TrainableParameters.All, folder, resume, phases, cancellation);
                break;
            case TrainingRegime.SyntheticOnly:
                lastFolder = RunPhase("synthetic", model, data.Synthetic!, data, Settings.Pretrain, Settings.PretrainAugment, TrainableParameters.All, folder, resume, phases, cancellation);
                break;
            case TrainingRegime.Mixed:
                using (var mixed = LabelledImages.Concat(data.Synthetic!, data.RealTrain))
                    lastFolder = RunPhase("mixed", model, mixed, data, Settings.Finetune, Settings.FinetuneAugment, TrainableParameters.All, folder, resume, phases, cancellation);
                break;
            case TrainingRegime.PretrainFinetune:
            case TrainingRegime.PretrainLastLayer:
                RunPhase("pretrain", model, data.Synthetic!, data, Settings.Pretrain, Settings.PretrainAugment, TrainableParameters.All, folder, resume, phases, cancellation);
                ImageClassifierTrainer.LoadWeights(model, Path.Combine(folder, "pretrain", ImageClassifierTrainer.FinalWeightsFile));
                bool lastLayer = regime == TrainingRegime.PretrainLastLayer;
                lastFolder = RunPhase(lastLayer ? "lastlayer" : "finetune", model, data.RealTrain, data, Settings.Finetune, Settings.FinetuneAugment,
                    lastLayer ? TrainableParameters.HeadOnly : TrainableParameters.All, folder, resume, phases, cancellation);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(regime));
        }

        var weights = RunFolder.ChoosePredictionWeights(lastFolder);
        ImageClassifierTrainer.LoadWeights(model, weights);
        var predictions = ModelPredictor.Predict(model, data.Test, Device, Settings.Finetune.EvaluationBatchSize);
        var run = new RunFolder(folder);
        predictions.Write(run.PredictionsPath);
        run.WriteSummary(new RegimeSummary(regime.Name(), model.GetName(), model.Options.ImageSize, Settings.ModelSeed,
            Path.GetRelativePath(folder, weights), predictions.Accuracy, [.. phases.Select(p => PhaseSummary.Of(p.Item1, p.Item2))]));
        return new RegimeResult(regime, phases, predictions, run.PredictionsPath, weights);
    }

    private string RunPhase(string phase, ImageClassifier model, LabelledImages train, RegimeData data, ImageClassifierTrainingOptions config,
        Func<Tensor, Generator, Tensor>? augment, TrainableParameters trainable, string folder, bool resume,
        List<(string, TrainingResult)> phases, CancellationToken cancellation)
    {
        var phaseFolder = Path.Combine(folder, phase);
        var finished = ImageClassifierTrainer.ReadResult(phaseFolder);
        if (finished is not null && File.Exists(Path.Combine(phaseFolder, ImageClassifierTrainer.FinalWeightsFile)))
        {
            ImageClassifierTrainer.LoadWeights(model, Path.Combine(phaseFolder, ImageClassifierTrainer.FinalWeightsFile));
            phases.Add((phase, finished));
            return phaseFolder;
        }
        var trainer = new ImageClassifierTrainer(config)
        {
            Device = Device,
            Augment = augment,
            Trainable = trainable,
            Progress = Progress,
            Stage = phase,
        };
        var result = trainer.Train(model, train, data.Test, data.Validation, phaseFolder, resume, cancellation);
        phases.Add((phase, result));
        return phaseFolder;
    }
}
