using System.CommandLine;
using SonoSynth.Runtime;
using TorchSharp;

namespace SonoSynth.Cli.Commands;

/// <summary>
/// The runtime options of the verbs that compute with tensors (--seed, --device, --threads, --json) and the setup
/// they imply, so each verb declares them in one line and sets up libtorch the same way.
/// </summary>
public sealed class RuntimeOptions
{
    /// <param name="seed">Add --seed (verbs that draw nothing at random have none).</param>
    /// <param name="json">Add --json (verbs that print no report have none).</param>
    public RuntimeOptions(bool seed = true, bool json = true)
    {
        Seed = seed ? SharedOptions.Seed() : null;
        Json = json ? SharedOptions.Json() : null;
        // The order they appear in under --help.
        All = new Option?[] { Seed, Device, Threads, Json }.OfType<Option>().ToArray();
    }

    public Option<int>? Seed { get; }

    public Option<string> Device { get; } = SharedOptions.Device();

    public Option<int> Threads { get; } = SharedOptions.Threads();

    public Option<bool>? Json { get; }

    /// <summary>The options this verb has, in help order.</summary>
    public IReadOnlyList<Option> All { get; }

    /// <summary>Adds the options after the verb's own ones.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>Sets libtorch's threads and resolves --device; call it before any tensor work.</summary>
    public torch.Device Apply(ParseResult parse)
    {
        CommandAction.ConfigureThreads(parse.GetValue(Threads));
        return TorchRuntime.ResolveDevice(parse.GetValue(Device)!);
    }

    public int GetSeed(ParseResult parse) =>
        parse.GetValue(Seed ?? throw new InvalidOperationException("This verb was declared without --seed."));

    /// <summary>Whether --json was given (false for verbs without it).</summary>
    public bool GetJson(ParseResult parse) => Json is not null && parse.GetValue(Json);
}
