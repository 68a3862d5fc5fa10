using System.CommandLine;

namespace SonoSynth.Cli.Commands;

/// <summary>
/// Small factories for options that many verbs share, so they read the same everywhere. Verbs that compute with
/// tensors take --seed/--device/--threads/--json together through <see cref="RuntimeOptions"/>.
/// </summary>
public static class SharedOptions
{
    public static Option<int> Seed(int defaultValue = 0) =>
        new("--seed") { Description = "Random seed; the same seed gives the same result.", DefaultValueFactory = _ => defaultValue };

    public static Option<string> Device() =>
        new("--device") { Description = "cpu, cuda or cuda:N (CUDA needs the CUDA build, see README).", DefaultValueFactory = _ => "cpu" };

    public static Option<int> Threads() =>
        new("--threads") { Description = "libtorch threads (0 = one per core).", DefaultValueFactory = _ => 0 };

    public static Option<bool> Json() =>
        new("--json") { Description = "Print one JSON document (snake_case keys) on stdout instead of a table." };
}
