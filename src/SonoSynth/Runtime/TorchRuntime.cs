using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Runtime;

/// <summary>Chooses the compute device and thread count once, before any tensor work.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Parses "cpu", "cuda" or "cuda:N". A CUDA device on a CPU-only build gets a message that says how to get
    /// the CUDA build, instead of a native crash later.
    /// </summary>
    public static Device ResolveDevice(string name)
    {
        var normalized = name.Trim().ToLowerInvariant();
        if (normalized == "cpu") return CPU;
        if (normalized.StartsWith("cuda"))
        {
            if (!cuda.is_available())
                throw new ArgumentException(
                    $"--device {name}: CUDA is not available in this build or on this machine. Build with " +
                    "'dotnet build -p:TorchBackend=cuda' (TorchSharp-cuda-linux) on a machine with an NVIDIA driver, or use --device cpu.");
            return new Device(normalized);
        }
        throw new ArgumentException($"Unknown device '{name}'. Use cpu, cuda or cuda:N.");
    }

    /// <summary>Sets libtorch's intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }
}
