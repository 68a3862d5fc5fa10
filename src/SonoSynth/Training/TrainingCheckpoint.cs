using System.Text;
using System.Text.Json;
using SonoSynth.IO;
using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>
/// Everything needed to continue a phase exactly: model weights and buffers, Adam's moments and step counts,
/// the finished epoch, the epoch history (so best-so-far is known), and the three random streams
/// (shuffling, augmentation, torch's global generator used by dropout). Written atomically.
/// Layout: magic, JSON metadata, three length-prefixed RNG states, model state, optimizer state.
/// </summary>
internal static class TrainingCheckpoint
{
    private const string Magic = "SONOSYNTH-CLASSIFIER-CHECKPOINT-1";

    internal sealed record Metadata(int Epoch, string Architecture, int NumClasses, string Trainable, List<EpochRecord> History);

    internal sealed record Loaded(Metadata Meta, byte[] ShuffleState, byte[] AugmentState, byte[] GlobalState);

    public static void Save(string path, ImageClassifier model, TorchSharp.Modules.OptimizerHelper optimizer, Metadata meta,
        Generator shuffle, Generator augment)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(meta));
            WriteState(writer, shuffle.get_state());
            WriteState(writer, augment.get_state());
            WriteState(writer, torch.random.get_rng_state());
            model.save(writer);
            optimizer.save_state_dict(writer);
            writer.Flush();
        });
    }

    /// <summary>Loads model and optimizer state in place; returns the metadata and RNG states to restore.</summary>
    public static Loaded Load(string path, ImageClassifier model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        string magic;
        try { magic = reader.ReadString(); }
        catch (EndOfStreamException) { magic = ""; }
        if (magic != Magic)
            throw new InputError($"'{path}' is not a SonoSynth classifier checkpoint. Delete it or choose another output folder.");
        var meta = JsonSerializer.Deserialize<Metadata>(reader.ReadString())
            ?? throw new InputError($"'{path}': unreadable checkpoint metadata.");
        var shuffle = ReadState(reader);
        var augment = ReadState(reader);
        var global = ReadState(reader);
        model.load(reader);
        optimizer.load_state_dict(reader);
        return new Loaded(meta, shuffle, augment, global);
    }

    public static Metadata ReadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadString() != Magic) throw new InputError($"'{path}' is not a SonoSynth classifier checkpoint.");
        return JsonSerializer.Deserialize<Metadata>(reader.ReadString())!;
    }

    public static Tensor StateTensor(byte[] bytes) => torch.tensor(bytes, dtype: ScalarType.Byte);

    private static void WriteState(BinaryWriter writer, Tensor state)
    {
        using (state)
        {
            var bytes = state.data<byte>().ToArray();
            writer.Write(bytes.Length);
            writer.Write(bytes);
        }
    }

    private static byte[] ReadState(BinaryReader reader) => reader.ReadBytes(reader.ReadInt32());
}
