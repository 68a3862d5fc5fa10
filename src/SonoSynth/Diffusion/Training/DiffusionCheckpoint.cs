using SonoSynth.Diffusion.Networks;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>Header of a diffusion checkpoint: enough to rebuild the same model and continue exactly.
/// <see cref="LossScaleLog2"/>: the float16 loss scale (null unless trained with --precision fp16).</summary>
public sealed record DiffusionCheckpointHeader(string Kind, UNetConfig Config, DiffusionTrainingOptions Options, long Step,
    IReadOnlyList<string> ClassNames, double? LossScaleLog2 = null)
{
    /// <summary>Which weights a sampler uses, in words, with the share of the random initialisation still in the EMA.</summary>
    public string DescribeWeights(bool useEma)
    {
        if (!useEma) return $"raw weights after {Step} training steps";
        double share = ExponentialMovingAverage.InitialShare(Options.EmaRate, Step, Options.EmaWarmup);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"EMA weights (rate {Options.EmaRate}, {(Options.EmaWarmup ? "with" : "no")} warm-up) after {Step} training steps; " +
            $"the random initialisation's share in them is {share:G3}");
    }
}

/// <summary>Reads trained U-Nets back from a diffusion checkpoint.</summary>
public static class DiffusionCheckpoint
{
    public const string FileName = "checkpoint.bin";
    public const string KindName = "unet";

    /// <summary>
    /// Writes a checkpoint: the header, then the sections "model", "ema", "optimizer" and "random" (the training
    /// generator's state, then libtorch's global one), the order <see cref="ReadTrainingState"/> reads them back in.
    /// </summary>
    public static void Save(string path, DiffusionCheckpointHeader header, UNetModel model, UNetModel ema,
        TorchSharp.Modules.AdamW optimizer, Generator rng) =>
        CheckpointFile.Save(path, header, sections =>
        {
            sections.Section("model", w => model.save(w));
            sections.Section("ema", w => ema.save(w));
            sections.Section("optimizer", w => optimizer.save_state_dict(w));
            sections.RandomStates(rng);
        });

    /// <summary>Restores everything <see cref="Save"/> wrote, in place, for a resumed run.</summary>
    public static void ReadTrainingState(CheckpointReader sections, UNetModel model, UNetModel ema,
        TorchSharp.Modules.AdamW optimizer, Generator rng)
    {
        sections.Section("model", r => model.load(r));
        sections.Section("ema", r => ema.load(r));
        sections.Section("optimizer", r => optimizer.load_state_dict(r));
        sections.RandomStates(rng);
    }

    /// <summary>Loads the EMA weights (what guided-diffusion samples with) or the raw weights.</summary>
    public static (UNetModel Model, DiffusionCheckpointHeader Header) Load(string path, bool useEma = true, Device? device = null)
    {
        UNetModel? model = null;
        var header = CheckpointFile.Load<DiffusionCheckpointHeader>(path, (h, sections) =>
        {
            if (h.Kind != KindName) throw new InputError($"'{path}' holds a {h.Kind}, not a diffusion U-Net. Pass the U-Net's checkpoint.bin.");
            model = new UNetModel(h.Config);
            if (useEma)
            {
                using var raw = new UNetModel(h.Config);
                sections.Section("model", r => raw.load(r));
                sections.Section("ema", r => model.load(r));
            }
            else sections.Section("model", r => model.load(r));
        });
        if (device is not null) model!.to(device);
        model!.eval();
        return (model, header);
    }
}
