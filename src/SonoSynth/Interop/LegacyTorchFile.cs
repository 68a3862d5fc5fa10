using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// Reads state dicts written by torch.save in the legacy (pre-1.6, non-zip) format, which TorchSharp.PyBridge does not
/// read: five consecutive pickles (magic number, protocol version, sys info, the object with storages as persistent
/// ids, the sorted storage keys), then each storage as an int64 element count followed by its raw little-endian bytes.
/// The unpickler below knows only what torch.save(state_dict) emits (protocol 2 opcodes, OrderedDict,
/// torch._utils._rebuild_tensor_v2, *Storage classes); anything else is refused with the opcode or class named.
/// </summary>
public static class LegacyTorchFile
{
    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356");  // 0x1950a86a20f9469cfc6c
    private const int ProtocolVersion = 1001;

    /// <summary>True when the file starts like a legacy torch.save (a pickle PROTO opcode, not a zip "PK").</summary>
    public static bool IsLegacy(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x80;
    }

    /// <summary>The state dict's tensors by name (CPU, contiguous), in file order.</summary>
    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var reader = new PickleReader(bytes);
        if (reader.Load() is not BigInteger magic || magic != MagicNumber)
            throw new InvalidDataException("not a torch.save file (magic number missing)");
        if (reader.Load() is not long protocol || protocol != ProtocolVersion)
            throw new InvalidDataException("unsupported torch.save protocol version");
        reader.Load(); // sys_info: little_endian and type sizes; every platform torch ran on was little-endian
        var root = reader.Load();
        if (reader.Load() is not List<object?> keys)
            throw new InvalidDataException("storage key list missing");
        var storages = new Dictionary<string, byte[]>();
        int position = reader.Position;
        foreach (var key in keys.Cast<string>())
        {
            var storage = reader.Storages[key];
            long count = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position, 8));
            position += 8;
            if (count != storage.ElementCount)
                throw new InvalidDataException($"storage {key}: {count} elements on disk, {storage.ElementCount} expected");
            int length = checked((int)(count * storage.ElementSize));
            storages[key] = bytes.AsSpan(position, length).ToArray();
            position += length;
        }
        if (root is not Dictionary<object, object?> dictionary)
            throw new InvalidDataException("the file holds no state dict (a dict of tensors); save model.state_dict()");
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, value) in dictionary)
            if (value is TensorRecord record)
                result[(string)name] = record.Materialise(storages[record.Storage.Key]);
        return result;
    }

    internal sealed record StorageRecord(string Key, ScalarType Type, int ElementSize, long ElementCount);

    internal sealed record TensorRecord(StorageRecord Storage, long Offset, long[] Size, long[] Stride)
    {
        public Tensor Materialise(byte[] data)
        {
            using var scope = NewDisposeScope();
            var flat = Storage.Type switch
            {
                ScalarType.Float32 => tensor(MemoryMarshalCast<float>(data)),
                ScalarType.Float64 => tensor(MemoryMarshalCast<double>(data)),
                ScalarType.Int64 => tensor(MemoryMarshalCast<long>(data)),
                ScalarType.Int32 => tensor(MemoryMarshalCast<int>(data)),
                ScalarType.Byte => tensor(data),
                _ => throw new InvalidDataException($"storage type {Storage.Type} is not supported"),
            };
            return flat.as_strided(Size, Stride, Offset).contiguous().clone().MoveToOuterDisposeScope();
        }

        private static T[] MemoryMarshalCast<T>(byte[] data) where T : struct =>
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(data).ToArray();
    }

    private sealed record GlobalRef(string Module, string Name);

    private sealed class Mark;

    /// <summary>A pickle virtual machine for the opcodes torch.save(protocol=2) writes.</summary>
    private sealed class PickleReader(byte[] data)
    {
        private readonly Dictionary<long, object?> memo = new();
        public Dictionary<string, StorageRecord> Storages { get; } = new();
        public int Position { get; private set; }

        public object? Load()
        {
            var stack = new List<object?>();
            memo.Clear();
            while (true)
            {
                byte opcode = data[Position++];
                switch (opcode)
                {
                    case 0x80: Position++; break;                                   // PROTO
                    case 0x95: Position += 8; break;                                // FRAME
                    case (byte)'(': stack.Add(new Mark()); break;                   // MARK
                    case (byte)'.': return stack[^1];                               // STOP
                    case (byte)')': stack.Add(Array.Empty<object?>()); break;       // EMPTY_TUPLE
                    case (byte)'}': stack.Add(new Dictionary<object, object?>()); break; // EMPTY_DICT
                    case (byte)']': stack.Add(new List<object?>()); break;          // EMPTY_LIST
                    case (byte)'N': stack.Add(null); break;
                    case 0x88: stack.Add(true); break;
                    case 0x89: stack.Add(false); break;
                    case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                    case (byte)'K': stack.Add((long)Take(1)[0]); break;
                    case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                    case 0x8a: stack.Add(Long(Take(Take(1)[0]))); break;           // LONG1
                    case 0x8b: stack.Add(Long(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break; // LONG4
                    case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                    case (byte)'X': stack.Add(Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break;
                    case 0x8c: stack.Add(Encoding.UTF8.GetString(Take(Take(1)[0]))); break; // SHORT_BINUNICODE
                    case (byte)'U': stack.Add(Encoding.Latin1.GetString(Take(Take(1)[0]))); break;
                    case (byte)'T': stack.Add(Encoding.Latin1.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break;
                    case (byte)'C': stack.Add(Take(Take(1)[0]).ToArray()); break;
                    case (byte)'B': stack.Add(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))).ToArray()); break;
                    case (byte)'c': stack.Add(new GlobalRef(Line(), Line())); break;
                    case 0x93:                                                      // STACK_GLOBAL
                        {
                            var name = (string)Pop(stack)!;
                            stack.Add(new GlobalRef((string)Pop(stack)!, name));
                            break;
                        }
                    case (byte)'R':
                    case 0x81:                                                      // REDUCE, NEWOBJ
                        {
                            var args = (object?[])Pop(stack)!;
                            stack.Add(Call(Pop(stack), args));
                            break;
                        }
                    case (byte)'b': Pop(stack); break;                              // BUILD: state (OrderedDict._metadata) unused
                    case (byte)'t': stack.Add(PopToMark(stack).ToArray()); break;   // TUPLE
                    case 0x85: stack.Add(new[] { Pop(stack) }); break;
                    case 0x86: { var b = Pop(stack); var a = Pop(stack); stack.Add(new[] { a, b }); break; }
                    case 0x87: { var c = Pop(stack); var b = Pop(stack); var a = Pop(stack); stack.Add(new[] { a, b, c }); break; }
                    case (byte)'l': stack.Add(PopToMark(stack)); break;             // LIST
                    case (byte)'d':                                                 // DICT
                        {
                            var items = PopToMark(stack);
                            var dict = new Dictionary<object, object?>();
                            for (int i = 0; i < items.Count; i += 2) dict[items[i]!] = items[i + 1];
                            stack.Add(dict);
                            break;
                        }
                    case (byte)'s': { var v = Pop(stack); var k = Pop(stack); ((Dictionary<object, object?>)stack[^1]!)[k!] = v; break; }
                    case (byte)'u':
                        {
                            var items = PopToMark(stack);
                            var dict = (Dictionary<object, object?>)stack[^1]!;
                            for (int i = 0; i < items.Count; i += 2) dict[items[i]!] = items[i + 1];
                            break;
                        }
                    case (byte)'a': { var v = Pop(stack); ((List<object?>)stack[^1]!).Add(v); break; }
                    case (byte)'e': { var items = PopToMark(stack); ((List<object?>)stack[^1]!).AddRange(items); break; }
                    case (byte)'q': memo[Take(1)[0]] = stack[^1]; break;           // BINPUT
                    case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = stack[^1]; break;
                    case 0x94: memo[memo.Count] = stack[^1]; break;                 // MEMOIZE
                    case (byte)'h': stack.Add(memo[Take(1)[0]]); break;            // BINGET
                    case (byte)'j': stack.Add(memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))]); break;
                    case (byte)'Q': stack.Add(PersistentLoad((object?[])Pop(stack)!)); break; // BINPERSID
                    default:
                        throw new InvalidDataException($"pickle opcode 0x{opcode:x2} at byte {Position - 1} is not supported");
                }
            }
        }

        private object? Call(object? callable, object?[] args)
        {
            if (callable is not GlobalRef function)
                throw new InvalidDataException("pickle calls something that is not a class or function");
            return (function.Module, function.Name) switch
            {
                ("collections", "OrderedDict") => new Dictionary<object, object?>(),
                ("torch._utils", "_rebuild_tensor_v2") or ("torch._utils", "_rebuild_tensor") => new TensorRecord(
                    (StorageRecord)args[0]!, (long)args[1]!, ((object?[])args[2]!).Select(v => (long)v!).ToArray(),
                    ((object?[])args[3]!).Select(v => (long)v!).ToArray()),
                ("torch._utils", "_rebuild_parameter") => args[0],
                _ => throw new InvalidDataException($"the pickle needs {function.Module}.{function.Name}, which a state dict never holds"),
            };
        }

        private StorageRecord PersistentLoad(object?[] id)
        {
            if (id.Length < 5 || id[0] as string != "storage" || id[1] is not GlobalRef type)
                throw new InvalidDataException("unknown persistent id (only tensor storages are supported)");
            var key = (string)id[2]!;
            (ScalarType scalar, int size) = type.Name switch
            {
                "FloatStorage" => (ScalarType.Float32, 4),
                "DoubleStorage" => (ScalarType.Float64, 8),
                "LongStorage" => (ScalarType.Int64, 8),
                "IntStorage" => (ScalarType.Int32, 4),
                "ByteStorage" => (ScalarType.Byte, 1),
                _ => throw new InvalidDataException($"storage type torch.{type.Name} is not supported"),
            };
            if (!Storages.TryGetValue(key, out var storage))
                Storages[key] = storage = new StorageRecord(key, scalar, size, (long)id[4]!);
            return storage;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            var span = data.AsSpan(Position, count);
            Position += count;
            return span;
        }

        private string Line()
        {
            int end = Array.IndexOf(data, (byte)'\n', Position);
            var text = Encoding.ASCII.GetString(data, Position, end - Position);
            Position = end + 1;
            return text;
        }

        private static object Long(ReadOnlySpan<byte> bytes)
        {
            var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
            return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
        }

        private static object? Pop(List<object?> stack)
        {
            var top = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return top;
        }

        private static List<object?> PopToMark(List<object?> stack)
        {
            int mark = stack.FindLastIndex(o => o is Mark);
            var items = stack.GetRange(mark + 1, stack.Count - mark - 1);
            stack.RemoveRange(mark, stack.Count - mark);
            return items;
        }
    }
}
