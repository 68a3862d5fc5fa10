using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models.Layers;

/// <summary>Replaces a registered submodule in place, keeping its name (so state-dict keys stay torchvision's).</summary>
public static class ModuleSwap
{
    /// <summary>A fresh Linear on the old one's device and dtype, registered under <paramref name="name"/>.</summary>
    public static Linear ReplaceLinear(nn.Module parent, string name, Linear old, long inFeatures, long outFeatures)
    {
        var fresh = nn.Linear(inFeatures, outFeatures, hasBias: old.bias is not null);
        fresh.to(old.weight.dtype).to(old.weight.device);
        Replace(parent, name, old, fresh);
        return fresh;
    }

    public static void Replace(nn.Module parent, string name, nn.Module old, nn.Module fresh)
    {
        parent.register_module(name, null!);
        parent.register_module(name, fresh);
        old.Dispose();
    }
}
