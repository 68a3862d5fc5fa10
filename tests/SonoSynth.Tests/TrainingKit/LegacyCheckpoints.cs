using System.Text;
using System.Text.Json.Nodes;
using SonoSynth.TrainingKit;

namespace SonoSynth.Tests.TrainingKit;

/// <summary>
/// Rewrites a checkpoint in the layout SonoSynth wrote before sections had names (up to commit 672088b): the old magic,
/// the same JSON header, then the section payloads back to back, without names or lengths. The image classifier's old
/// header was compact JSON without a "Kind".
/// </summary>
internal static class LegacyCheckpoints
{
    public const string UNetOrNoiseClassifierMagic = "SONOSYNTH-CKPT-1";
    public const string ImageClassifierMagic = "SONOSYNTH-CLASSIFIER-CHECKPOINT-1";

    public static void RewriteUnnamed(string path, string magic)
    {
        using var buffer = new MemoryStream();
        using (var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8))
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            Assert.Equal(CheckpointFile.Magic, reader.ReadString());
            writer.Write(magic);
            var header = reader.ReadString();
            if (magic == ImageClassifierMagic)
            {
                var json = JsonNode.Parse(header)!.AsObject();
                json.Remove("Kind");
                header = json.ToJsonString();
            }
            writer.Write(header);
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                reader.ReadString(); // the section's name
                long length = reader.ReadInt64();
                writer.Write(reader.ReadBytes(checked((int)length)));
            }
        }
        File.WriteAllBytes(path, buffer.ToArray());
    }
}
