using System.IO.Compression;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// NumPy .npz archives (a zip of .npy members, stored or deflated), e.g. pytorch-fid's statistics files with
/// 'mu' and 'sigma'. Numeric members come back as float64 tensors, 0-d unicode members as strings.
/// </summary>
public sealed class NpzFile : IDisposable
{
    private NpzFile(Dictionary<string, Tensor> arrays, Dictionary<string, string> strings)
    {
        Arrays = arrays;
        Strings = strings;
    }

    public IReadOnlyDictionary<string, Tensor> Arrays { get; }
    public IReadOnlyDictionary<string, string> Strings { get; }

    public static NpzFile Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such .npz file: '{path}'.", path);
        var arrays = new Dictionary<string, Tensor>();
        var strings = new Dictionary<string, string>();
        ZipArchive archive;
        try { archive = ZipFile.OpenRead(path); }
        catch (InvalidDataException e) { throw new InputError($"'{path}' is not a NumPy .npz archive (not a zip file).", e); }
        using (archive)
        {
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                string name = entry.FullName[..^4];
                string source = $"{path}:{entry.FullName}";
                // Peek at the header to route unicode members; zip streams cannot seek, so open twice.
                NpyFile.NpyHeader header;
                using (var peek = entry.Open()) header = NpyFile.ReadHeader(peek, source);
                using var stream = entry.Open();
                if (NpyFile.IsString(header)) strings[name] = NpyFile.ReadString(stream, source);
                else arrays[name] = NpyFile.ReadTensor(stream, source).DetachFromDisposeScope();
            }
        }
        return new NpzFile(arrays, strings);
    }

    /// <summary>Writes the arrays and strings atomically (np.savez_compressed layout: deflated members name.npy).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> arrays, IReadOnlyDictionary<string, string>? strings = null)
    {
        IO.AtomicFile.Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, values) in arrays)
            {
                using var member = archive.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
                NpyFile.WriteTensor(member, values);
            }
            foreach (var (name, value) in strings ?? new Dictionary<string, string>())
            {
                using var member = archive.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
                NpyFile.WriteString(member, value);
            }
        });
    }

    public void Dispose()
    {
        foreach (var array in Arrays.Values) array.Dispose();
    }
}
