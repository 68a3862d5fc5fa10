using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace SonoSynth.Tests.Data;

/// <summary>
/// Writes PNGs byte by byte (signature, IHDR, zlib IDAT, IEND, CRC-32) for any colour type and 8 or 16 bits,
/// independently of SkiaSharp, so the decoder is tested against files it did not write itself.
/// </summary>
internal static class RawPng
{
    public const int Gray = 0, Rgb = 2, GrayAlpha = 4, Rgba = 6;

    /// <summary><paramref name="samples"/>: row-major, channels interleaved, each value in 0..2^bitDepth-1.</summary>
    public static byte[] Encode(int width, int height, int colorType, int bitDepth, int[] samples)
    {
        int channels = colorType switch { Gray => 1, Rgb => 3, GrayAlpha => 2, Rgba => 4, _ => throw new ArgumentException("colour type") };
        int bytesPerSample = bitDepth / 8;
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0); // filter: none
            for (int i = 0; i < width * channels; i++)
            {
                int value = samples[y * width * channels + i];
                if (bytesPerSample == 2) raw.WriteByte((byte)(value >> 8));
                raw.WriteByte((byte)(value & 0xFF));
            }
        }
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zlib);

        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)bitDepth;
        header[9] = (byte)colorType;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A PNG whose header claims the given size, with no pixel data (for size checks made before decoding).</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeAndData));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
