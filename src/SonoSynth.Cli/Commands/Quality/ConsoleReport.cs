using Spectre.Console;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>Warnings and Spectre table output for the quality verbs (their --json goes through JsonOutput).</summary>
internal static class ConsoleReport
{
    /// <summary>Warnings go to stderr so --json output on stdout stays parseable.</summary>
    public static void Warn(string message) =>
        System.Console.Error.WriteLine($"warning: {message}");

    public static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "F1" : "G4");

    public static void Escape(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
}
