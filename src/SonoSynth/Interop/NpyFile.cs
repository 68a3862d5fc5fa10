using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// Reads and writes NumPy's .npy format (format versions 1–3): magic, a Python-dict header (descr, fortran_order,
/// shape), then raw little-endian data. Numeric arrays become float64 tensors; 0-d unicode arrays ('&lt;U') become
/// strings (how our .npz files record the feature extractor without needing pickle).
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>A numeric array as float64 [shape], C order. <paramref name="source"/> names the file in errors.</summary>
    public static Tensor ReadTensor(Stream stream, string source)
    {
        var header = ReadHeader(stream, source);
        long count = header.Shape.Aggregate(1L, (a, b) => a * b);
        int size = header.Descr switch
        {
            "<f8" or "=f8" or "<i8" or "=i8" => 8,
            "<f4" or "=f4" or "<i4" or "=i4" => 4,
            "|u1" or "<u1" => 1,
            _ => throw new InputError($"'{source}': NumPy dtype '{header.Descr}' is not supported; save float64 or float32 " +
                "(e.g. np.save(path, array.astype(np.float64))).")
        };
        var bytes = new byte[checked(count * size)];
        stream.ReadExactly(bytes);
        double[] data = header.Descr switch
        {
            "<f8" or "=f8" => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            "<f4" or "=f4" => Widen(MemoryMarshal.Cast<byte, float>(bytes), v => v),
            "<i8" or "=i8" => Widen(MemoryMarshal.Cast<byte, long>(bytes), v => v),
            "<i4" or "=i4" => Widen(MemoryMarshal.Cast<byte, int>(bytes), v => v),
            _ => Widen<byte>(bytes, v => v),
        };
        // Fortran order stores the reversed shape in C order; read it that way and transpose back.
        var storedShape = header.FortranOrder ? header.Shape.Reverse().ToArray() : header.Shape;
        using var raw = torch.tensor(data, dtype: ScalarType.Float64).reshape(storedShape);
        var values = header.FortranOrder ? raw.permute(Enumerable.Range(0, storedShape.Length).Reverse().Select(i => (long)i).ToArray()) : raw;
        return values.to_type(ScalarType.Float64).contiguous().clone();
    }

    private static double[] Widen<T>(ReadOnlySpan<T> values, Func<T, double> convert)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = convert(values[i]);
        return result;
    }

    /// <summary>A 0-d unicode array ('&lt;U n') as a string.</summary>
    public static string ReadString(Stream stream, string source)
    {
        var header = ReadHeader(stream, source);
        var match = UnicodeDescr().Match(header.Descr);
        if (!match.Success || header.Shape.Length != 0)
            throw new InputError($"'{source}': expected a 0-d unicode array, got dtype '{header.Descr}' shape ({string.Join(",", header.Shape)}).");
        var bytes = new byte[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 4];
        stream.ReadExactly(bytes);
        return Encoding.UTF32.GetString(bytes).TrimEnd('\0');
    }

    /// <summary>Whether the array's dtype is unicode (without consuming the stream beyond the header).</summary>
    public static bool IsString(NpyHeader header) => UnicodeDescr().IsMatch(header.Descr);

    /// <summary>Writes a tensor as float64 (or float32 when it is float32), C order, format 1.0.</summary>
    public static void WriteTensor(Stream stream, Tensor values)
    {
        var contiguous = values.cpu().contiguous();
        bool single = contiguous.dtype == ScalarType.Float32;
        using var typed = single ? contiguous.alias() : contiguous.to_type(ScalarType.Float64);
        string shape = typed.dim() switch
        {
            0 => "()",
            1 => $"({typed.shape[0]},)",
            _ => "(" + string.Join(", ", typed.shape) + ")",
        };
        WriteHeader(stream, single ? "<f4" : "<f8", shape);
        if (single) stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(typed.data<float>().ToArray().AsSpan()));
        else stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(typed.data<double>().ToArray().AsSpan()));
    }

    /// <summary>Writes a 0-d unicode array (readable by np.load without allow_pickle).</summary>
    public static void WriteString(Stream stream, string value)
    {
        int length = Math.Max(1, value.Length);
        WriteHeader(stream, $"<U{length}", "()");
        stream.Write(Encoding.UTF32.GetBytes(value.PadRight(length, '\0')));
    }

    public sealed record NpyHeader(string Descr, bool FortranOrder, long[] Shape);

    public static NpyHeader ReadHeader(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[8];
        try { stream.ReadExactly(prefix); }
        catch (EndOfStreamException) { throw new InputError($"'{source}' is not a NumPy .npy array (too short)."); }
        if (!prefix[..6].SequenceEqual(Magic))
            throw new InputError($"'{source}' is not a NumPy .npy array (no \\x93NUMPY magic). Save it with np.save.");
        byte major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> two = stackalloc byte[2];
            stream.ReadExactly(two);
            headerLength = two[0] | two[1] << 8;
        }
        else
        {
            Span<byte> four = stackalloc byte[4];
            stream.ReadExactly(four);
            headerLength = BitConverter.ToInt32(four);
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = (major >= 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var descr = DescrField().Match(header);
        var fortran = FortranField().Match(header);
        var shape = ShapeField().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new InputError($"'{source}': unreadable .npy header: {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.Parse(d.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();
        return new NpyHeader(descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static void WriteHeader(Stream stream, string descr, string shape)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so magic + version + length + header + '\n' is a multiple of 64 (what numpy writes).
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        dict = dict.PadRight(dict.Length + (64 - unpadded % 64) % 64) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        stream.Write([(byte)(dict.Length & 0xFF), (byte)(dict.Length >> 8)]);
        stream.Write(Encoding.Latin1.GetBytes(dict));
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrField();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranField();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeField();
    [GeneratedRegex(@"^[<>=|]U(\d+)$")]
    private static partial Regex UnicodeDescr();
}
