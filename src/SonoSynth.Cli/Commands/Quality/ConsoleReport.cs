using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Quality;

/// <summary>JSON (snake_case) and Spectre table output for the quality verbs.</summary>
internal static class ConsoleReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Keep é and quotes readable; this JSON goes to files and terminals, never into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void PrintJson<T>(T value) => System.Console.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Warnings go to stderr so --json output on stdout stays parseable.</summary>
    public static void Warn(string message) =>
        System.Console.Error.WriteLine($"warning: {message}");

    public static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "F1" : "G4");

    public static void Escape(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
}
