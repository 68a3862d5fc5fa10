using SonoSynth.Models;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>Header of an image classifier's checkpoint: the finished epoch, what was trained, and the epoch history (so best-so-far is known).</summary>
public sealed record ImageClassifierCheckpointHeader(int Epoch, string Architecture, int NumClasses, string Trainable,
    List<EpochRecord> History, string Kind = ImageClassifierCheckpoint.KindName);

/// <summary>
/// Everything <see cref="ImageClassifierTrainer"/> needs to continue a phase exactly, in <see cref="CheckpointFile"/>'s
/// format: the header, then the sections "random" (shuffling, augmentation, then torch's global generator used by
/// dropout), "model" (weights and buffers) and "optimizer" (Adam's moments and step counts). Checkpoints of earlier
/// runs (SONOSYNTH-CLASSIFIER-CHECKPOINT-1) hold the same in the same order and still resume.
/// </summary>
internal static class ImageClassifierCheckpoint
{
    public const string KindName = "image-classifier";

    public static void Save(string path, ImageClassifier model, TorchSharp.Modules.OptimizerHelper optimizer,
        ImageClassifierCheckpointHeader header, Generator shuffle, Generator augment) =>
        CheckpointFile.Save(path, header, sections =>
        {
            sections.RandomStates(shuffle, augment);
            sections.Section("model", w => model.save(w));
            sections.Section("optimizer", w => optimizer.save_state_dict(w));
        });

    /// <summary>
    /// Restores model, optimizer and the three random streams in place, after checking that the checkpoint was written
    /// for the same architecture, classes and trainable parameters; returns its header.
    /// </summary>
    public static ImageClassifierCheckpointHeader Load(string path, ImageClassifier model, TorchSharp.Modules.OptimizerHelper optimizer,
        TrainableParameters trainable, Generator shuffle, Generator augment) =>
        CheckpointFile.Load<ImageClassifierCheckpointHeader>(path, (header, sections) =>
        {
            if (header.Kind != KindName)
                throw new InputError($"'{path}' holds a {header.Kind} checkpoint, not an image classifier's. Delete it or choose another output folder.");
            string architecture = model.GetName();
            if (header.Architecture != architecture || header.NumClasses != model.Options.NumClasses || header.Trainable != trainable.ToString())
                throw new InputError($"'{path}' was written for {header.Architecture} ({header.NumClasses} classes, {header.Trainable}), " +
                    $"not {architecture} ({model.Options.NumClasses} classes, {trainable}). Use the same settings or another output folder.");
            sections.RandomStates(shuffle, augment);
            sections.Section("model", r => model.load(r));
            sections.Section("optimizer", r => optimizer.load_state_dict(r));
        });

    public static ImageClassifierCheckpointHeader ReadHeader(string path) => CheckpointFile.Load<ImageClassifierCheckpointHeader>(path);
}
