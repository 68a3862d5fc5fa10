using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// Re-draws a network's initial weights from a seeded generator with PyTorch's default distributions (conv/linear:
/// U(±1/√fan_in) for weight and bias; embedding: N(0, 1); attention-pool positions: N(0, 1/C)), so initialisation never
/// depends on libtorch's global generator. Zero-initialised layers and GroupNorm (1, 0) are left as built.
/// </summary>
public static class SeededInitialization
{
    public static void Apply(nn.Module network, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = torch.no_grad();
        foreach (var (name, module) in network.named_modules())
        {
            switch (module)
            {
                case ConvNd or TorchSharp.Modules.Conv1d or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Linear:
                    var weight = module.named_parameters(recurse: false).First(p => p.name == "weight").parameter;
                    if (weight.abs().max().item<float>() == 0) continue; // zero_module
                    double bound = 1 / Math.Sqrt(weight.shape.Skip(1).Aggregate(1L, (a, b) => a * b));
                    foreach (var (_, parameter) in module.named_parameters(recurse: false))
                    {
                        using var uniform = torch.rand(parameter.shape, generator: generator) * (2 * bound) - bound;
                        parameter.copy_(uniform); // a named temporary: the GC must not finalize the source mid-copy
                    }
                    break;
                case TorchSharp.Modules.Embedding:
                    foreach (var (_, parameter) in module.named_parameters(recurse: false))
                    {
                        using var normal = torch.randn(parameter.shape, generator: generator);
                        parameter.copy_(normal);
                    }
                    break;
                case AttentionPool2d:
                    foreach (var (parameterName, parameter) in module.named_parameters(recurse: false))
                        if (parameterName == "positional_embedding")
                        {
                            using var normal = torch.randn(parameter.shape, generator: generator) / Math.Sqrt(parameter.shape[0]);
                            parameter.copy_(normal);
                        }
                    break;
            }
        }
    }
}
