using SonoSynth.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// Starts a SonoSynth classifier from a torchvision-format state dict (e.g. ImageNet weights saved with
/// <c>torch.save(torchvision.models.resnet50(weights=...).state_dict(), path)</c>). Names map one-to-one.
/// </summary>
public static class PretrainedWeights
{
    /// <summary>
    /// Copies the file's tensors into <paramref name="model"/>. A 3-channel first convolution loading into a
    /// 1-channel model is summed over its RGB weights: a gray image x then gives the same response as the RGB
    /// image (x, x, x) through the original network. Head tensors of another shape (another class count) are
    /// skipped, so the model keeps its freshly initialised head. Any other shape mismatch, a key the model does
    /// not have, or a parameter the file lacks is an <see cref="InputError"/> that lists the keys.
    /// </summary>
    public static TorchvisionLoadReport LoadTorchvision(ImageClassifier model, string path)
    {
        var tensors = StateDictFile.Read(path);
        try
        {
            return CopyInto(model, tensors, path);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>As <see cref="LoadTorchvision"/>, from tensors already in memory; <paramref name="source"/> names them in errors.</summary>
    public static TorchvisionLoadReport CopyInto(ImageClassifier model, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var targets = model.state_dict();
        var headPrefix = model.HeadName + ".";
        var unknown = tensors.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new InputError($"'{source}' has {unknown.Count} tensors that a {model.GetName()} does not have ({Preview(unknown)}). " +
                "Is it a state dict of the same architecture (torchvision naming)? Pick the matching --arch.");
        var missing = targets.Keys.Where(k => !tensors.ContainsKey(k) && !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
            throw new InputError($"'{source}' lacks {missing.Count} tensors of a {model.GetName()} ({Preview(missing)}). " +
                "Is it a state dict of the same architecture and depth? Pick the matching --arch.");

        var loaded = new List<string>();
        var adapted = new List<string>();
        var skipped = new List<string>();
        var mismatched = new List<string>();
        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            if (!tensors.TryGetValue(name, out var sourceTensor)) continue;
            if (sourceTensor.shape.SequenceEqual(target.shape))
            {
                { using var converted = sourceTensor.to_type(target.dtype); target.copy_(converted); } // a named temporary stays alive through the native copy
                loaded.Add(name);
            }
            else if (IsRgbToGray(sourceTensor.shape, target.shape))
            {
                { using var converted = sourceTensor.to_type(target.dtype); using var summed = converted.sum(1, keepdim: true); target.copy_(summed); }
                adapted.Add(name);
            }
            else if (name.EndsWith("pos_embedding", StringComparison.Ordinal) && ResampledPositions(sourceTensor, target.shape) is { } resampled)
            {
                target.copy_(resampled);
                resampled.Dispose();
                adapted.Add(name);
            }
            else if (name.StartsWith(headPrefix, StringComparison.Ordinal))
                skipped.Add(name);
            else
                mismatched.Add($"{name} [{Shape(sourceTensor.shape)}] in the file, [{Shape(target.shape)}] in the model");
        }
        if (mismatched.Count > 0)
            throw new InputError($"'{source}' does not fit this {model.GetName()} ({model.Options.InChannels} channel(s), " +
                $"{model.Options.NumClasses} classes): {Preview(mismatched.Order(StringComparer.Ordinal).ToList())}. Only a 3-channel first convolution, ViT position embeddings and the head may differ.");
        var counters = targets.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        return new TorchvisionLoadReport(loaded, adapted, skipped, counters);
    }

    // [O, 3, k, k] → [O, 1, k, k]: an RGB first convolution into a gray model.
    private static bool IsRgbToGray(long[] file, long[] model) =>
        file.Length == 4 && model.Length == 4 && file[1] == 3 && model[1] == 1 &&
        file[0] == model[0] && file[2] == model[2] && file[3] == model[3];

    /// <summary>
    /// ViT position embeddings [1, 1 + g², D] trained at another image size: the class token's row is kept and the
    /// g×g grid is resized bicubically to the model's grid (timm's resample_abs_pos_embed). Null if not square grids.
    /// </summary>
    private static Tensor? ResampledPositions(Tensor source, long[] target)
    {
        if (source.dim() != 3 || target.Length != 3 || source.shape[2] != target[2]) return null;
        long fromGrid = (long)Math.Round(Math.Sqrt(source.shape[1] - 1)), toGrid = (long)Math.Round(Math.Sqrt(target[1] - 1));
        if (fromGrid * fromGrid != source.shape[1] - 1 || toGrid * toGrid != target[1] - 1) return null;
        using var scope = NewDisposeScope();
        var dim = source.shape[2];
        var grid = source[.., 1..].reshape(1, fromGrid, fromGrid, dim).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        var resized = nn.functional.interpolate(grid, [toGrid, toGrid], mode: InterpolationMode.Bicubic, align_corners: false)
            .permute(0, 2, 3, 1).reshape(1, toGrid * toGrid, dim);
        return cat([source[.., ..1].to_type(ScalarType.Float32), resized], 1).MoveToOuterDisposeScope();
    }

    private static string Shape(long[] shape) => string.Join("x", shape);

    private static string Preview(List<string> keys) =>
        string.Join("; ", keys.Take(5)) + (keys.Count > 5 ? $"; and {keys.Count - 5} more" : "");
}
