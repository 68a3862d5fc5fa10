using SonoSynth.Data;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Training;

namespace SonoSynth.Experiments;

/// <summary>
/// An experiment: which data, which diffusion model and synthetic sets, which classifier runs, which paper tables
/// to report. Loaded from YAML or JSON (<see cref="ExperimentConfigLoader"/>); every field has a default so a
/// config names only what it changes. Keys are camelCase; words such as "real-only" or "ddim" are read into enums
/// at load (<see cref="ConfigNames"/>).
/// </summary>
public sealed record ExperimentConfig
{
    public string Name { get; init; } = "experiment";
    /// <summary>Says in words what was scaled down from the paper (printed at the top of the report).</summary>
    public string Scale { get; init; } = "";
    public DataSettings Data { get; init; } = new();
    public DiffusionSettings Diffusion { get; init; } = new();
    public List<SyntheticSetSettings> Synthetic { get; init; } = [];
    public ClassifierGridSettings Classifiers { get; init; } = new();
    public QualitySettings Quality { get; init; } = new();
    /// <summary>Paper tables (3–14) the report lays out; runs they need must be in the grid.</summary>
    public List<int> Tables { get; init; } = [];
}

public sealed record DataSettings
{
    /// <summary>"phantom" (generated) or a path: FETAL_PLANES_DB folder, class-folder tree or prepared cache.</summary>
    public string Source { get; init; } = "phantom";
    public int PhantomPerClass { get; init; } = 60;
    public int PhantomSeed { get; init; } = 1;
    /// <summary>Size the phantom is drawn at before it is resized to <see cref="ImageSize"/> like any data set (FETAL_PLANES_DB
    /// images are far larger than 128 px too), so speckle and thin walls are averaged as a scan converter would.</summary>
    public int PhantomImageSize { get; init; } = 128;
    public int ImageSize { get; init; } = 128;
    /// <summary>random (the paper's stratified 80/20), patient (no patient on both sides) or official (CSV Train column).</summary>
    public SplitKind Split { get; init; } = SplitKind.Random;
    public int SplitSeed { get; init; } = 0;
    /// <summary>Share of the training split held out to choose the epoch without looking at the test set.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>
    /// Whether the diffusion model, the guidance classifier and the FID reference use the validation share too (the
    /// paper's generator learns from the whole training split). False keeps validation images out of everything that
    /// shapes the synthetic sets, so choosing a pretrained classifier's epoch on them is strictly honest.
    /// </summary>
    public bool GeneratorUsesValidation { get; init; } = true;
    public bool SkipBad { get; init; }
    /// <summary>
    /// Data scarcity: real training images per class, one study per size (its own diffusion model, guidance classifier,
    /// synthetic sets and classifier runs, in cells under <c>n&lt;size&gt;/</c>). The subsets are nested (the 10 are among
    /// the 30) and come with a validation set of the same scarcity. Empty = the whole training split, as the paper.
    /// </summary>
    public List<int> TrainPerClass { get; init; } = [];
}

public sealed record DiffusionSettings
{
    /// <summary>U-Net preset name (see 'sonosynth diffusion info').</summary>
    public string Preset { get; init; } = "adm128";
    public string ClassifierPreset { get; init; } = "classifier128";
    /// <summary>Learned variances with Improved DDPM's hybrid loss (guided-diffusion's learn_sigma); null = the preset's
    /// (adm128: true, as guided-diffusion's 128×128 model; the CPU presets: false).</summary>
    public bool? LearnSigma { get; init; }
    public NoiseScheduleKind Schedule { get; init; } = NoiseScheduleKind.Linear;
    public int TrainSteps { get; init; } = 500_000;
    public int ClassifierSteps { get; init; } = 150_000;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-4;
    /// <summary>AdamW learning rate of the guidance classifier (guided-diffusion's classifier_train.py: 3e-4).</summary>
    public double ClassifierLearningRate { get; init; } = 3e-4;
    /// <summary>Batch of the guidance classifier; null = <see cref="BatchSize"/> (guided-diffusion's classifier recipe: 256).</summary>
    public int? ClassifierBatchSize { get; init; }
    /// <summary>Slices of the classifier batch whose gradients add up (guided-diffusion's --microbatch); 0 = whole batch.</summary>
    public int ClassifierMicrobatch { get; init; }
    /// <summary>Linear learning-rate decay to 0 for the classifier (guided-diffusion's --anneal_lr True).</summary>
    public bool ClassifierAnnealLr { get; init; }
    /// <summary>Random scale-and-crop and horizontal flips of the classifier's images (classifier_train.py's load_data:
    /// random_crop=True, random_flip's default True).</summary>
    public bool ClassifierAugment { get; init; }
    /// <summary>EMA rate of the sampled weights (guided-diffusion: 0.9999).</summary>
    public double EmaRate { get; init; } = 0.9999;
    /// <summary>Ramp the EMA decay up as min(rate, (1+n)/(10+n)) (diffusers), so short runs do not sample from weights that
    /// are still mostly the random initialisation. guided-diffusion has none; at its 500k steps it makes no difference.</summary>
    public bool EmaWarmup { get; init; } = true;
    public bool ClassConditional { get; init; } = true;
    /// <summary>Probability of dropping the label in training (enables classifier-free guidance); 0 = paper.</summary>
    public double LabelDropout { get; init; }
    public int Seed { get; init; }
}

public sealed record SyntheticSetSettings
{
    /// <summary>Name used by classifier runs, e.g. "round1"; "round1+round2" in a run concatenates sets.</summary>
    public string Name { get; init; } = "round1";
    public int PerClass { get; init; } = 5000;
    /// <summary>Generation round (the paper: two rounds of 5000 per class); different rounds use different seeds.</summary>
    public int Round { get; init; } = 1;
    /// <summary>ddpm or ddim.</summary>
    public SamplerKind Sampler { get; init; } = SamplerKind.Ddpm;
    /// <summary>Respacing in guided-diffusion's notation: "250", "ddim25", "1000".</summary>
    public string Steps { get; init; } = "250";
    /// <summary>DDPM with σ²_t = β̃_t (guided-diffusion's sigma_small) instead of β_t; for few respaced steps.</summary>
    public bool SigmaSmall { get; init; }
    /// <summary>classifier (the paper), none (Table 13's ablation) or free (classifier-free, beyond the paper).</summary>
    public SyntheticGuidance Guidance { get; init; } = SyntheticGuidance.Classifier;
    public double GuidanceScale { get; init; } = 1.0;
    public int Seed { get; init; }
    /// <summary>
    /// Draw the set's denoising trajectory and its same-seeds-without-guidance comparison (a few dozen more samples);
    /// false spares that time when another set already shows them.
    /// </summary>
    public bool Figures { get; init; } = true;
    /// <summary>
    /// An existing image set instead of sampling: a manifest CSV (path,label,...) or a folder, e.g. the curation
    /// filter's good.csv / bad.csv for the paper's Table 4. Empty = generate with the diffusion model.
    /// </summary>
    public string Source { get; init; } = "";
}

public sealed record ClassifierGridSettings
{
    public List<string> Architectures { get; init; } = [.. PaperResults.Architectures];
    public List<ClassifierRunSettings> Runs { get; init; } = [];
    public int Epochs { get; init; } = 200;
    /// <summary>Epochs of the synthetic pretraining phase (defaults to <see cref="Epochs"/>).</summary>
    public int? PretrainEpochs { get; init; }
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-4;
    public List<int> Seeds { get; init; } = [0];
    /// <summary>Majority-vote ensembles: over seeds of one architecture, and k-of-n across architectures.</summary>
    public List<int> EnsembleSizes { get; init; } = [];
    /// <summary>The run whose predictions ensembles combine (index into <see cref="Runs"/>).</summary>
    public int EnsembleRun { get; init; } = -1;
    /// <summary>
    /// Also run Table 11's two comparison methods (stacked ensemble, deep feature integration) over the first seed's model
    /// of each architecture in <see cref="EnsembleRun"/>.
    /// </summary>
    public bool ComparisonMethods { get; init; }
}

public sealed record ClassifierRunSettings
{
    /// <summary>real-only, synthetic-only, pretrain-finetune, mixed or pretrain-lastlayer.</summary>
    public TrainingRegime Regime { get; init; } = TrainingRegime.RealOnly;
    /// <summary>Synthetic set(s) joined with '+', e.g. "round1+round2"; empty for real-only. "augmented-real" pretrains on augmented real copies (Table 12).</summary>
    public string Synthetic { get; init; } = "";
    /// <summary>Augmentations while pretraining / fine-tuning: none, paper, table12 or a list "rotate,hflip,...".</summary>
    public string PretrainAugment { get; init; } = "none";
    public string Augment { get; init; } = "none";

    /// <summary>The run in words, for reports, e.g. "Pretraining (round1) + fine-tuning, real augmented (paper)".</summary>
    public string Describe()
    {
        var label = Regime switch
        {
            TrainingRegime.RealOnly => "Real data only",
            TrainingRegime.SyntheticOnly => $"Synthetic data only ({Synthetic})",
            TrainingRegime.PretrainFinetune => $"Pretraining ({Synthetic}) + fine-tuning",
            TrainingRegime.Mixed => $"Mixed data ({Synthetic} + real)",
            TrainingRegime.PretrainLastLayer => $"Pretraining ({Synthetic}) + last-layer fine-tuning",
            _ => Regime.Name(),
        };
        if (PretrainAugment != "none") label += $", pretraining augmented ({PretrainAugment})";
        if (Augment != "none") label += $", real augmented ({Augment})";
        return label;
    }
}

public sealed record QualitySettings
{
    /// <summary>
    /// A classifier trained on the real training split only (never on synthetic data, and not the guidance classifier)
    /// that labels every synthetic set: the share it puts in the intended class says whether the images carry their class.
    /// Its real test accuracy is the ceiling to read that share against. Null = no judge.
    /// </summary>
    public JudgeSettings? Judge { get; init; }
    /// <summary>Per-class Fréchet distance of each synthetic set against the real training images.</summary>
    public bool Fid { get; init; } = true;
    /// <summary>The FID Inception weights (pt_inception-2015-12-05-6726825d.pth); without them the distance is not called FID.</summary>
    public string InceptionWeights { get; init; } = "";
}

public sealed record JudgeSettings
{
    public string Architecture { get; init; } = "small_cnn";
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>
    /// Augmentation of the real images while the judge trains: none, paper, table12 or a list. Table 12's contrast clip,
    /// Gaussian noise, crop and rotation keep it from keying on speckle and fine texture, which generated images reproduce
    /// less exactly than anatomy; unaugmented judges scored the same generated sets very differently (docs/results-cpu.md).
    /// </summary>
    public string Augment { get; init; } = "table12";
    public int Seed { get; init; }
}
