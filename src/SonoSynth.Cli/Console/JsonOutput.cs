using System.Text.Json;
using System.Text.Json.Serialization;

namespace SonoSynth.Cli.Console;

/// <summary>
/// What --json prints, for every verb: one indented JSON document on stdout whose keys are snake_case
/// (<c>patients_on_both_sides</c>), at every depth, because users read it from Python and jq. Keys are a stable
/// interface: add new ones, never rename one without a note in README.md. Class names and other data are values,
/// never keys. Files written to disk (regime.json, quality.json, ...) keep their own formats.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Keep é, + and quotes readable; this goes to terminals and scripts, never into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Scores with nothing to measure are NaN (e.g. held-out accuracy when nothing was held out).
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Enum values by name ("Linear"), as the checkpoint headers that model configs come from write them.
        Converters = { new JsonStringEnumConverter() },
    };

    public static void Print<T>(T value) => System.Console.WriteLine(JsonSerializer.Serialize(value, Options));
}
