using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SonoSynth.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Training;

/// <summary>
/// The on-disk layout of a training checkpoint: a magic tag, a JSON header (config, options, step, class names), then
/// binary sections written in a fixed order by the trainer (weights, EMA weights, optimizer state, RNG states).
/// Always written atomically, so a kill leaves the previous checkpoint intact.
/// </summary>
public static class CheckpointFile
{
    private const string Magic = "SONOSYNTH-CKPT-1";

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(string path, object header, Action<BinaryWriter> writeSections) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header, header.GetType(), Json));
            writeSections(writer);
            writer.Flush();
        });

    /// <summary>Opens a checkpoint and returns its header; <paramref name="readSections"/> reads the binary part.</summary>
    public static THeader Load<THeader>(string path, Action<THeader, BinaryReader>? readSections = null)
    {
        if (!File.Exists(path)) throw new InputError($"Checkpoint '{path}' does not exist. Pass the checkpoint.bin written by training.");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        string magic;
        try { magic = reader.ReadString(); } catch (EndOfStreamException) { magic = ""; }
        if (magic != Magic) throw new InputError($"'{path}' is not a SonoSynth checkpoint (or it is damaged). Pass a checkpoint.bin written by 'sonosynth diffusion train'.");
        var header = JsonSerializer.Deserialize<THeader>(reader.ReadString(), Json)
                     ?? throw new InputError($"Checkpoint '{path}' has an empty header.");
        readSections?.Invoke(header, reader);
        return header;
    }

    /// <summary>
    /// The random state a diffusion trainer needs to resume bit-exactly: its own batch generator's, then libtorch's
    /// global one (dropout). <see cref="ReadRandomStates"/> restores them in the same order.
    /// </summary>
    public static void WriteRandomStates(BinaryWriter writer, Generator rng)
    {
        using var own = rng.get_state();
        WriteTensorBytes(writer, own);
        using var global = torch.random.get_rng_state();
        WriteTensorBytes(writer, global);
    }

    public static void ReadRandomStates(BinaryReader reader, Generator rng)
    {
        using var own = ReadTensorBytes(reader);
        rng.set_state(own);
        using var global = ReadTensorBytes(reader);
        torch.random.set_rng_state(global);
    }

    public static void WriteTensorBytes(BinaryWriter writer, Tensor byteTensor)
    {
        var bytes = byteTensor.contiguous().data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static Tensor ReadTensorBytes(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        return torch.tensor(reader.ReadBytes(length), dtype: ScalarType.Byte);
    }
}
