using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>
/// Loads a PyTorch state dict file (torch.save(model.state_dict())) into a TorchSharp module with the same names:
/// the zip format (PyTorch ≥ 1.6) through TorchSharp.PyBridge, the legacy format through <see cref="LegacyTorchFile"/>.
/// </summary>
public static class PyTorchStateDict
{
    /// <summary>
    /// Copies every tensor of the file into the module's parameters and buffers. Returns the module's state-dict
    /// names that the file did not provide (BatchNorm's num_batches_tracked is absent from older files and unused
    /// in eval mode; callers decide what else may be missing). A name present in both with another shape throws.
    /// </summary>
    public static IReadOnlyList<string> LoadInto(nn.Module module, string path)
    {
        var targets = module.state_dict();
        if (!LegacyTorchFile.IsLegacy(path))
        {
            var loaded = new Dictionary<string, bool>();
            module.load_py(path, strict: false, loadedParameters: loaded);
            return targets.Keys.Where(k => !(loaded.TryGetValue(k, out var ok) && ok)).ToList();
        }
        var tensors = LegacyTorchFile.ReadStateDict(path);
        try
        {
            using var noGrad = no_grad();
            foreach (var (name, target) in targets)
            {
                if (!tensors.TryGetValue(name, out var source)) continue;
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"'{name}' has shape [{string.Join("x", source.shape)}] in the file but " +
                        $"[{string.Join("x", target.shape)}] in the model");
                target.copy_(source);
            }
            return targets.Keys.Where(k => !tensors.ContainsKey(k)).ToList();
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }
}
