using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SonoSynth.IO;

namespace SonoSynth.TrainingKit;

/// <summary>
/// The one checkpoint format of every trainer (U-Net, noise-aware classifier, image classifier). Layout: a magic tag,
/// a JSON header (the trainer's typed record: kind, config, options, step or epoch, class names, loss scale), then named
/// sections, each written as its name, its length in bytes (int64) and its payload ("model", "ema", "optimizer",
/// "random", ...). Always written atomically, so a kill leaves the previous checkpoint intact.
/// <para>
/// Version 2 added the section names and lengths. Checkpoints of earlier runs still load: <c>SONOSYNTH-CKPT-1</c>
/// (U-Net and noise-aware classifier) and <c>SONOSYNTH-CLASSIFIER-CHECKPOINT-1</c> (image classifier) hold the same
/// header and payloads in the same order, without names or lengths.
/// </para>
/// </summary>
public static class CheckpointFile
{
    public const string Magic = "SONOSYNTH-CKPT-2";
    private static readonly string[] UnnamedSectionMagics = ["SONOSYNTH-CKPT-1", "SONOSYNTH-CLASSIFIER-CHECKPOINT-1"];

    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Save(string path, object header, Action<CheckpointWriter> writeSections) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header, header.GetType(), Json));
            writeSections(new CheckpointWriter(writer));
            writer.Flush();
        });

    /// <summary>Opens a checkpoint and returns its header; <paramref name="readSections"/> reads the sections in the order they were written.</summary>
    public static THeader Load<THeader>(string path, Action<THeader, CheckpointReader>? readSections = null)
    {
        if (!File.Exists(path)) throw new InputError($"Checkpoint '{path}' does not exist. Pass the checkpoint.bin written by training.");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        string magic;
        try { magic = reader.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException) { magic = ""; }
        bool named = magic == Magic;
        if (!named && !UnnamedSectionMagics.Contains(magic))
            throw new InputError($"'{path}' is not a SonoSynth checkpoint (or it is damaged). Pass a checkpoint.bin written by SonoSynth training, " +
                "or delete it and choose another output folder.");
        THeader? header;
        try { header = JsonSerializer.Deserialize<THeader>(reader.ReadString(), Json); }
        catch (JsonException e) { throw new InputError($"Checkpoint '{path}' has an unreadable header ({e.Message}); the file is damaged.", e); }
        if (header is null) throw new InputError($"Checkpoint '{path}' has an empty header.");
        readSections?.Invoke(header, new CheckpointReader(reader, named, path));
        return header;
    }
}

/// <summary>Writes the named sections of a checkpoint (<see cref="CheckpointFile"/>).</summary>
public sealed class CheckpointWriter(BinaryWriter writer)
{
    /// <summary>Writes one section: its name, a length placeholder, the payload, then the real length.</summary>
    public void Section(string name, Action<BinaryWriter> write)
    {
        writer.Write(name);
        writer.Flush();
        var stream = writer.BaseStream;
        long lengthAt = stream.Position;
        writer.Write(0L);
        write(writer);
        writer.Flush();
        long end = stream.Position;
        stream.Position = lengthAt;
        writer.Write(end - lengthAt - sizeof(long));
        writer.Flush();
        stream.Position = end;
    }

    /// <summary>
    /// The "random" section: each of the trainer's own generators in order, then libtorch's global one (dropout), so a
    /// resumed run draws exactly what an uninterrupted one would. <see cref="CheckpointReader.RandomStates"/> restores them.
    /// </summary>
    public void RandomStates(params TorchSharp.torch.Generator[] generators) =>
        Section("random", w =>
        {
            foreach (var generator in generators)
            {
                using var state = generator.get_state();
                RandomStateBytes.Write(w, state);
            }
            using var global = TorchSharp.torch.random.get_rng_state();
            RandomStateBytes.Write(w, global);
        });
}

/// <summary>Reads the sections of a checkpoint in the order they were written, checking names and lengths (version 2).</summary>
public sealed class CheckpointReader
{
    private readonly BinaryReader reader;
    private readonly bool named;

    internal CheckpointReader(BinaryReader reader, bool named, string path)
    {
        this.reader = reader;
        this.named = named;
        Path = path;
    }

    public string Path { get; }

    public void Section(string name, Action<BinaryReader> read)
    {
        if (!named) { read(reader); return; }
        string found;
        long length;
        try { (found, length) = (reader.ReadString(), reader.ReadInt64()); }
        catch (EndOfStreamException) { throw new InputError($"Checkpoint '{Path}' ends before its '{name}' section; the file is damaged."); }
        if (found != name)
            throw new InputError($"Checkpoint '{Path}' has a '{found}' section where '{name}' was expected; it was written by another kind of training.");
        long start = reader.BaseStream.Position;
        read(reader);
        long consumed = reader.BaseStream.Position - start;
        if (consumed != length)
            throw new InputError($"Checkpoint '{Path}': its '{name}' section holds {length} bytes but {consumed} were read; " +
                "the file is damaged or does not match this model.");
    }

    /// <summary>Restores the generators written by <see cref="CheckpointWriter.RandomStates"/>, in the same order.</summary>
    public void RandomStates(params TorchSharp.torch.Generator[] generators) =>
        Section("random", r =>
        {
            foreach (var generator in generators)
            {
                using var state = RandomStateBytes.Read(r);
                generator.set_state(state);
            }
            using var global = RandomStateBytes.Read(r);
            TorchSharp.torch.random.set_rng_state(global);
        });
}

/// <summary>A generator state (a byte tensor) as an int32 length and its bytes.</summary>
internal static class RandomStateBytes
{
    public static void Write(BinaryWriter writer, TorchSharp.torch.Tensor byteTensor)
    {
        var bytes = byteTensor.contiguous().data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public static TorchSharp.torch.Tensor Read(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        return TorchSharp.torch.tensor(reader.ReadBytes(length), dtype: TorchSharp.torch.ScalarType.Byte);
    }
}
