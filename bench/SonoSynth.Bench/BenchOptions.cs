namespace SonoSynth.Bench;

public sealed record BenchOptions(string Command, string[] Models, string[] Presets, int Batch, int Size, int Threads,
    int Warmup, int Repeats, int Steps, bool ChannelsLast, bool UseCheckpoint, string? LayersFile, bool TorchSharpAdamW)
{
    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new BenchOptions(args.Length > 0 ? args[0] : "",
            Get("--models", "resnet50,densenet169,vit_b_32,swin_t,medmamba_t").Split(','),
            Get("--presets", "cpu-tiny,cpu-small,adm128").Split(','),
            int.Parse(Get("--batch", "32")), int.Parse(Get("--size", "128")), int.Parse(Get("--threads", "2")),
            int.Parse(Get("--warmup", "2")), int.Parse(Get("--repeats", "5")), int.Parse(Get("--steps", "2000")),
            args.Contains("--channels-last"), args.Contains("--use-checkpoint"),
            Array.IndexOf(args, "--layers") is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null,
            args.Contains("--torchsharp-adamw"));
    }
}
