using System.Text.Json;
using SonoSynth.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Curation;

/// <summary>
/// A trained good/bad classifier plus what is needed to use it again: the image size it was trained at and the
/// threshold on P(good). Saved as a folder with <see cref="WeightsFileName"/> (TorchSharp state) and
/// <see cref="InfoFileName"/> (JSON), both written atomically.
/// </summary>
public sealed class CurationModel : IDisposable
{
    // Names kept from before the rename: users have model folders. Never in an experiment cell, so no clash with
    // the FID stage's quality.json.
    public const string WeightsFileName = "quality.weights";
    public const string InfoFileName = "quality.json";

    // NaN accuracy (nothing held out) must round-trip.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public CurationModel(CurationNet net, CurationModelInfo info)
    {
        Net = net;
        Info = info;
    }

    public CurationNet Net { get; }
    public CurationModelInfo Info { get; }

    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        AtomicFile.Write(Path.Combine(folder, WeightsFileName), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            Net.save(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(folder, InfoFileName),
            JsonSerializer.Serialize(Info, JsonOptions) + "\n");
    }

    public static CurationModel Load(string folder, Device? device = null)
    {
        var infoPath = Path.Combine(folder, InfoFileName);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(infoPath) || !File.Exists(weightsPath))
            throw new InputError($"No curation (good/bad) model in '{folder}' (expected {InfoFileName} and {WeightsFileName}). " +
                "Train one with 'sonosynth curate train --images DIR --labels STORE --out FOLDER'.");
        var info = JsonSerializer.Deserialize<CurationModelInfo>(File.ReadAllText(infoPath), JsonOptions)
            ?? throw new InputError($"'{infoPath}' is empty. Train the model again.");
        var net = new CurationNet(info.BaseChannels);
        using (var stream = File.OpenRead(weightsPath))
        using (var reader = new BinaryReader(stream))
            net.load(reader);
        if (device is not null) net.to(device);
        net.eval();
        return new CurationModel(net, info);
    }

    /// <summary>P(good) per image, [N], from uint8 pixels [N x 1 x S x S].</summary>
    public float[] Score(Tensor pixels, int batchSize = 64)
    {
        Net.eval();
        using var noGrad = torch.no_grad();
        var device = Net.parameters().First().device;
        var scores = new float[pixels.shape[0]];
        for (long start = 0; start < pixels.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, pixels.shape[0] - start);
            var batch = pixels.narrow(0, start, count).to(device).to_type(ScalarType.Float32).div_(255f);
            var probabilities = torch.sigmoid(Net.call(batch)).cpu().data<float>().ToArray();
            probabilities.CopyTo(scores, start);
        }
        return scores;
    }

    public void Dispose() => Net.Dispose();
}

/// <summary>The JSON stored beside the weights.</summary>
public sealed record CurationModelInfo(int ImageSize, int BaseChannels, double Threshold,
    int TrainedOnGood, int TrainedOnBad, double HeldOutAccuracy, double HeldOutBalancedAccuracy, DateTime TrainedUtc);
