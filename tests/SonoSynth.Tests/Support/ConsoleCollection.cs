namespace SonoSynth.Tests;

/// <summary>
/// Tests that run CLI verbs in-process redirect the process-wide Console.Out; they share this collection so xunit
/// never runs two of them at once (one test's output would land in another's capture).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console output";
}
