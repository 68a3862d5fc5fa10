using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Diffusion.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// Turns a guided-diffusion checkpoint (128x128_diffusion.pt, 128x128_classifier.pt, …) into a SonoSynth network with its
/// header, so it samples, guides and fine-tunes like one trained here. Class names are the file's class indices
/// ("0" … "999" for ImageNet) unless given.
/// </summary>
public static class GuidedDiffusionImport
{
    /// <summary>True when the file is not a SonoSynth checkpoint (a PyTorch zip or legacy pickle instead).</summary>
    public static bool IsPyTorchFile(string path)
    {
        using var stream = File.OpenRead(path);
        int first = stream.ReadByte(), second = stream.ReadByte();
        return (first == 'P' && second == 'K') || first == 0x80;
    }

    public static (UNetModel Model, DiffusionCheckpointHeader Header) UNet(string path, UNetConfig flags, NoiseScheduleKind schedule,
        int diffusionSteps, IReadOnlyList<string>? classNames = null)
    {
        var tensors = StateDictFile.Read(path);
        try
        {
            if (!GuidedDiffusionWeights.IsUNet(tensors))
                throw new InputError($"'{path}' is a guided-diffusion classifier, not a U-Net (it has no output_blocks). Pass it as --classifier.");
            var config = GuidedDiffusionWeights.ConfigFor(flags, tensors, path);
            config.Validate();
            var model = new UNetModel(config);
            GuidedDiffusionWeights.LoadStrict(model, tensors, path);
            model.eval();
            var names = Names(classNames, config.ClassCount, path);
            var options = new DiffusionTrainingOptions(ClassConditional: config.ClassCount > 0, Schedule: schedule, DiffusionSteps: diffusionSteps);
            return (model, new DiffusionCheckpointHeader(DiffusionCheckpoint.KindName, config, options, 0, names));
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    public static (NoiseAwareClassifier Model, ClassifierCheckpointHeader Header) Classifier(string path, NoiseClassifierConfig flags,
        NoiseScheduleKind schedule, int diffusionSteps, IReadOnlyList<string>? classNames = null)
    {
        var tensors = StateDictFile.Read(path);
        try
        {
            if (GuidedDiffusionWeights.IsUNet(tensors))
                throw new InputError($"'{path}' is a guided-diffusion U-Net, not a classifier (it has output_blocks). Pass it as --model.");
            var config = GuidedDiffusionWeights.ConfigFor(flags, tensors, path);
            config.Validate();
            var model = new NoiseAwareClassifier(config);
            GuidedDiffusionWeights.LoadStrict(model, tensors, path);
            model.eval();
            var names = Names(classNames, config.ClassCount, path);
            var options = new NoiseClassifierTrainingOptions(Schedule: schedule, DiffusionSteps: diffusionSteps);
            return (model, new ClassifierCheckpointHeader(NoiseClassifierTrainer.KindName, config, options, 0, names));
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>Writes an imported U-Net as a checkpoint.bin (raw and EMA weights both the file's; a fresh optimizer), resumable as a fine-tuning start.</summary>
    public static void Save(string checkpointPath, UNetModel model, DiffusionCheckpointHeader header)
    {
        using var ema = new UNetModel(model.Config);
        ExponentialMovingAverage.CopyInto(model, ema);
        using var optimizer = torch.optim.AdamW(model.parameters(), header.Options.LearningRate, weight_decay: header.Options.WeightDecay);
        using var rng = new Generator((ulong)header.Options.Seed + 1);
        DiffusionCheckpoint.Save(checkpointPath, header, model, ema, optimizer, rng);
    }

    /// <summary>Writes an imported classifier as a checkpoint.bin.</summary>
    public static void Save(string checkpointPath, NoiseAwareClassifier model, ClassifierCheckpointHeader header)
    {
        using var optimizer = torch.optim.AdamW(model.parameters(), header.Options.LearningRate, weight_decay: header.Options.WeightDecay);
        using var rng = new Generator((ulong)header.Options.Seed + 1);
        NoiseClassifierTrainer.SaveCheckpoint(checkpointPath, header, model, optimizer, rng);
    }

    private static IReadOnlyList<string> Names(IReadOnlyList<string>? given, int classCount, string path)
    {
        if (given is null) return Enumerable.Range(0, classCount).Select(i => i.ToString()).ToList();
        if (given.Count != classCount)
            throw new InputError($"--class-names lists {given.Count} classes but '{path}' has {classCount}.");
        return given;
    }
}
