using System.CommandLine;
using SonoSynth.Cli;

namespace SonoSynth.Tests;

/// <summary>What a CLI run printed, and how it ended.</summary>
public sealed record CliResult(int ExitCode, string Output, string Errors)
{
    /// <summary>stdout and stderr together, for messages that may go to either.</summary>
    public string All => Output + Errors;

    /// <summary>The output with the console's line wrapping undone, for searching long messages.</summary>
    public string Unwrapped => System.Text.RegularExpressions.Regex.Replace(All, @"\s+", " ");
}

/// <summary>
/// The sonosynth CLI run inside the test process, with stdout and stderr captured. Tests that use it belong to the
/// <see cref="ConsoleCollection"/>, because the console is process-wide. <see cref="Reliability.CliProcess"/> runs it
/// as a child process instead, for kills and other file systems.
/// </summary>
public static class InProcessCli
{
    /// <summary>`sonosynth args...` exactly as a user types it (the exit code includes parse errors).</summary>
    public static CliResult Run(params string[] args) => Capture(() => CliApplication.Run(args));

    /// <summary>One verb built by the test (e.g. with a test hook), under a root command.</summary>
    public static CliResult Run(Command verb, params string[] args) => Run([verb], args);

    /// <summary>Verbs built by the test, side by side under one root command (args start with the verb's name).</summary>
    public static CliResult Run(IReadOnlyList<Command> verbs, params string[] args)
    {
        var root = new RootCommand();
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        return Capture(() => root.Parse(args).Invoke());
    }

    private static CliResult Capture(Func<int> run)
    {
        var (output, errors) = (Console.Out, Console.Error);
        // Not disposed: Spectre keeps a reference to the writer it was bound to until the next command rebinds it.
        var (capturedOutput, capturedErrors) = (new StringWriter(), new StringWriter());
        Console.SetOut(capturedOutput);
        Console.SetError(capturedErrors);
        try { return new CliResult(run(), capturedOutput.ToString(), capturedErrors.ToString()); }
        finally
        {
            Console.SetOut(output);
            Console.SetError(errors);
        }
    }
}
