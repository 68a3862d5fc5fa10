using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SonoSynth.Interop;

/// <summary>Reads and writes PyTorch state-dict files (<c>torch.save(model.state_dict())</c>) as name → tensor.</summary>
public static class StateDictFile
{
    /// <summary>
    /// Every tensor of a torch.save'd state dict, by name, on the CPU: the zip format (PyTorch ≥ 1.6) through
    /// TorchSharp.PyBridge, the legacy format through <see cref="LegacyTorchFile"/>. The caller disposes them.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new InputError($"Weights file '{path}' does not exist. Pass a file written by torch.save(model.state_dict(), path).");
        try
        {
            if (LegacyTorchFile.IsLegacy(path)) return LegacyTorchFile.ReadStateDict(path);
            var table = PyTorchUnpickler.UnpickleStateDict(path);
            var result = new Dictionary<string, Tensor>();
            foreach (DictionaryEntry entry in table)
                if (entry.Value is Tensor value) result[(string)entry.Key] = value;
            return result;
        }
        catch (Exception e) when (e is not InputError)
        {
            throw new InputError($"'{path}' is not a readable PyTorch state dict ({e.Message}). Save it in Python with " +
                "torch.save(model.state_dict(), path); a whole pickled model or a training checkpoint dict is not supported.", e);
        }
    }

    /// <summary>Writes the module's state dict so that <c>torch.load(path)</c> returns it (zip format), atomically.</summary>
    public static void Write(nn.Module module, string path)
    {
        // save_py closes the stream it writes to, so it writes to memory (ToArray works after Close).
        var buffer = new MemoryStream();
        module.save_py(buffer);
        IO.AtomicFile.WriteAllBytes(path, buffer.ToArray());
    }
}
