using SonoSynth.Diffusion.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>What <see cref="GuidedDiffusionWeights.InitFrom"/> did: tensors copied as they are, adapted, or left fresh.</summary>
public sealed record WeightAdaptationReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Adapted, IReadOnlyList<string> Fresh,
    IReadOnlyList<string> Dropped)
{
    public string Summary => string.Join(Environment.NewLine, new[]
    {
        $"{Loaded.Count} tensors loaded unchanged.",
    }.Concat(Adapted.Select(a => "adapted: " + a)).Concat(Fresh.Select(f => "new: " + f)).Concat(Dropped.Select(d => "dropped: " + d)));
}

/// <summary>
/// Reads guided-diffusion checkpoints (torch.save of UNetModel / EncoderUNetModel state dicts, e.g. 128x128_diffusion.pt
/// and 128x128_classifier.pt) into <see cref="UNetModel"/> and <see cref="NoiseAwareClassifier"/>, whose module names
/// are guided-diffusion's. Loading is strict: every key of the file and of the network must match by name and shape.
/// </summary>
public static class GuidedDiffusionWeights
{
    /// <summary>
    /// The U-Net described by <paramref name="flags"/>, with the channel counts and class count that the file's tensors
    /// say (input and output convolutions, label embedding, time embedding width), so a released checkpoint needs only
    /// the flags its README gives. The rest (heads, attention resolutions, multipliers) must come from the flags; a
    /// wrong flag shows up as missing or mismatched keys when loading.
    /// </summary>
    public static UNetConfig ConfigFor(UNetConfig flags, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var input = Require(tensors, "input_blocks.0.0.weight", source, "a guided-diffusion U-Net");
        var output = Require(tensors, "out.2.weight", source, "a guided-diffusion U-Net");
        var time = Require(tensors, "time_embed.0.weight", source, "a guided-diffusion U-Net");
        int inChannels = (int)input.shape[1], outChannels = (int)output.shape[0];
        if (outChannels != inChannels && outChannels != 2 * inChannels)
            throw new InputError($"'{source}': out.2.weight has {outChannels} output channels for {inChannels} input channels; " +
                "a guided-diffusion U-Net has as many (fixed σ) or twice as many (learned σ).");
        int classes = tensors.TryGetValue("label_emb.weight", out var labels) ? (int)labels.shape[0] : 0;
        return flags with
        {
            InChannels = inChannels, LearnSigma = outChannels == 2 * inChannels, ClassCount = classes, NullLabel = false,
            ModelChannels = (int)time.shape[1],
        };
    }

    /// <summary>The classifier described by <paramref name="flags"/>, with the file's input channels, width and class count.</summary>
    public static NoiseClassifierConfig ConfigFor(NoiseClassifierConfig flags, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var input = Require(tensors, "input_blocks.0.0.weight", source, "a guided-diffusion classifier");
        var time = Require(tensors, "time_embed.0.weight", source, "a guided-diffusion classifier");
        string logitsKey = flags.Pool switch
        {
            ClassifierPool.Adaptive => "out.3.bias",
            ClassifierPool.Attention => "out.2.c_proj.bias",
            ClassifierPool.Spatial => "out.2.bias",
            _ => "out.3.bias",
        };
        var logits = Require(tensors, logitsKey, source, $"a guided-diffusion classifier with --classifier-pool {PoolFlag(flags.Pool)}");
        return flags with { InChannels = (int)input.shape[1], ModelChannels = (int)time.shape[1], ClassCount = (int)logits.shape[0] };
    }

    /// <summary>True when the state dict is a U-Net's (it has output blocks), false for a classifier's.</summary>
    public static bool IsUNet(IReadOnlyDictionary<string, Tensor> tensors) => tensors.Keys.Any(k => k.StartsWith("output_blocks.", StringComparison.Ordinal));

    /// <summary>
    /// Copies every tensor of the file into <paramref name="network"/>. Throws an <see cref="InputError"/> naming the keys
    /// the file lacks, the keys the network lacks, and the keys whose shapes differ.
    /// </summary>
    public static void LoadStrict(nn.Module network, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var targets = network.state_dict();
        var missing = targets.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        var unexpected = tensors.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var mismatched = targets.Where(t => tensors.TryGetValue(t.Key, out var s) && !s.shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key} [{Shape(tensors[t.Key].shape)}] in the file, [{Shape(t.Value.shape)}] in the network").ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing from the file: {ByBlock(missing)}");
            if (unexpected.Count > 0) parts.Add($"not in the network: {ByBlock(unexpected)}");
            if (mismatched.Count > 0) parts.Add($"shapes differ: {Preview(mismatched)}");
            throw new InputError($"'{source}' does not match the network built from the flags ({string.Join("; ", parts)}). " +
                "Pass the flags the checkpoint was trained with (its README's MODEL_FLAGS / CLASSIFIER_FLAGS, e.g. --preset adm128), " +
                "or check that the file is the right checkpoint.");
        }
        using var noGrad = no_grad();
        foreach (var (name, target) in targets) { using var converted = tensors[name].to_type(target.dtype); target.copy_(converted); }
    }

    /// <summary>
    /// <see cref="InitFrom"/> with the weights read from <paramref name="path"/> (a guided-diffusion <c>.pt</c> file):
    /// what <c>diffusion train --init-from</c> hands the trainer.
    /// </summary>
    public static WeightAdaptationReport InitFromFile(UNetModel model, string path)
    {
        var tensors = StateDictFile.Read(path);
        try { return InitFrom(model, tensors, path); }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>
    /// Starts <paramref name="model"/> (already initialised) from a guided-diffusion U-Net trained on other data, e.g. a
    /// released ImageNet model, for fine-tuning: an RGB input convolution becomes gray by summing its RGB weights (a gray
    /// image x then gives what (x, x, x) gave); the output convolution's ε rows (and learned σ's v rows) are averaged over
    /// RGB; the class embedding is kept only when the class count matches, otherwise the model's fresh embedding stays.
    /// Any other difference is an <see cref="InputError"/> naming the keys.
    /// </summary>
    public static WeightAdaptationReport InitFrom(UNetModel model, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var config = model.Config;
        var targets = model.state_dict();
        var loaded = new List<string>();
        var adapted = new List<string>();
        var fresh = new List<string>();
        var dropped = new List<string>();
        var problems = new List<string>();
        int fileIn = tensors.TryGetValue("input_blocks.0.0.weight", out var fileInput) ? (int)fileInput.shape[1] : -1;
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!tensors.TryGetValue(name, out var source_))
            {
                if (name == "label_emb.weight") fresh.Add($"label_emb.weight: a {config.LabelEmbeddingRows}-row class embedding (the file is unconditional)");
                else problems.Add($"{name} is missing from the file");
                continue;
            }
            var file = source_.to_type(target.dtype);
            if (file.shape.SequenceEqual(target.shape))
            {
                target.copy_(file);
                loaded.Add(name);
            }
            else if (name == "input_blocks.0.0.weight" && file.shape[1] > target.shape[1] && target.shape[1] == 1 && SameExcept(file.shape, target.shape, 1))
            {
                { using var summed = file.sum(1, keepdim: true); target.copy_(summed); }
                adapted.Add($"{name}: {file.shape[1]} input channels summed into 1 (gray x acts as ({string.Join(", ", Enumerable.Repeat("x", (int)file.shape[1]))}))");
            }
            else if (name is "out.2.weight" or "out.2.bias" && fileIn > 0 && SameExcept(file.shape, target.shape, 0))
            {
                { using var output = AdaptOutput(file, fileIn, config.InChannels, config.LearnSigma); target.copy_(output); }
                bool fileSigma = file.shape[0] == 2 * fileIn;
                adapted.Add($"{name}: {file.shape[0]} output channels → {target.shape[0]} (ε averaged over {fileIn} channels" +
                    (config.LearnSigma ? fileSigma ? ", learned σ's v averaged likewise)" : ", v starts at 0: σ² midway between β̃ and β)" : ")"));
            }
            else if (name == "label_emb.weight" && SameExcept(file.shape, target.shape, 0))
                fresh.Add($"label_emb.weight: a new {target.shape[0]}-row class embedding replaces the file's {file.shape[0]} classes");
            else
                problems.Add($"{name} [{Shape(file.shape)}] in the file, [{Shape(target.shape)}] in the network");
        }
        foreach (var name in tensors.Keys.Where(k => !targets.ContainsKey(k)))
        {
            if (name == "label_emb.weight") dropped.Add("label_emb.weight: the file's class embedding (this U-Net is unconditional)");
            else problems.Add($"{name} is in the file but not in the network");
        }
        if (problems.Count > 0)
            throw new InputError($"'{source}' cannot start this U-Net: {Preview(problems)}. Only the input and output channels and the " +
                "class embedding may differ; pass the checkpoint's own flags (e.g. --preset adm128 for 128x128_diffusion.pt).");
        return new WeightAdaptationReport(loaded, adapted, fresh, dropped);
    }

    /// <summary>[k·C_file, ...] → [k'·C_model, ...]: per block (ε, then v), the mean over the file's channels, repeated.</summary>
    private static Tensor AdaptOutput(Tensor file, int fileChannels, int modelChannels, bool modelLearnsSigma)
    {
        using var scope = NewDisposeScope();
        bool fileLearnsSigma = file.shape[0] == 2 * fileChannels;
        Tensor Block(int index) => file.narrow(0, index * fileChannels, fileChannels).mean([0], keepdim: true)
            .expand(new long[] { modelChannels }.Concat(file.shape.Skip(1)).ToArray()).contiguous();
        var eps = Block(0);
        if (!modelLearnsSigma) return eps.MoveToOuterDisposeScope();
        var v = fileLearnsSigma ? Block(1) : torch.zeros_like(eps);
        return torch.cat([eps, v], 0).MoveToOuterDisposeScope();
    }

    private static bool SameExcept(long[] a, long[] b, int dimension) =>
        a.Length == b.Length && Enumerable.Range(0, a.Length).All(i => i == dimension || a[i] == b[i]);

    private static Tensor Require(IReadOnlyDictionary<string, Tensor> tensors, string key, string source, string what) =>
        tensors.TryGetValue(key, out var tensor) ? tensor : throw new InputError(
            $"'{source}' has no '{key}', so it is not {what} (its first keys: {Preview(tensors.Keys.Take(6).ToList())}).");

    public static string PoolFlag(ClassifierPool pool) => pool switch
    {
        ClassifierPool.SpatialV2 => "spatial_v2",
        _ => pool.ToString().ToLowerInvariant(),
    };

    private static string Shape(long[] shape) => string.Join("x", shape);

    private static string Preview(List<string> keys) =>
        string.Join("; ", keys.Take(6)) + (keys.Count > 6 ? $"; and {keys.Count - 6} more" : "");

    /// <summary>
    /// Keys grouped by block, in network order ("input_blocks.3.1 (norm.weight, qkv.weight, …)"), so a wrong flag shows
    /// as whole blocks: attention at another resolution is a block of norm/qkv/proj_out tensors on one side.
    /// </summary>
    private static string ByBlock(List<string> keys)
    {
        const int shown = 8;
        var blocks = keys.GroupBy(BlockOf).OrderBy(g => g.Key, NaturalKeyOrder.Instance)
            .Select(g => $"{g.Key} ({string.Join(", ", g.Order(NaturalKeyOrder.Instance).Select(k => k[(g.Key.Length + 1)..]))})").ToList();
        return string.Join("; ", blocks.Take(shown)) + (blocks.Count > shown ? $"; and {blocks.Count - shown} more blocks" : "");
    }

    /// <summary>input_blocks.3.1.qkv.weight → input_blocks.3.1; middle_block.1.… → middle_block.1; out.2.weight → out.2.</summary>
    private static string BlockOf(string key)
    {
        var parts = key.Split('.');
        int length = parts[0] is "input_blocks" or "output_blocks" ? 3 : 2;
        return string.Join('.', parts.Take(Math.Min(length, parts.Length - 1)));
    }

    /// <summary>Dotted keys with numbers compared as numbers (input_blocks.2 before input_blocks.10).</summary>
    private sealed class NaturalKeyOrder : IComparer<string>
    {
        public static NaturalKeyOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").Split('.');
            var b = (y ?? "").Split('.');
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                int order = int.TryParse(a[i], out var m) && int.TryParse(b[i], out var n) ? m.CompareTo(n) : string.CompareOrdinal(a[i], b[i]);
                if (order != 0) return order;
            }
            return a.Length.CompareTo(b.Length);
        }
    }
}
