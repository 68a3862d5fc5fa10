using System.Text.Json;

namespace SonoSynth.Cli.Console;

/// <summary>
/// What --json prints: one indented JSON document on stdout (property names as declared), for the verbs whose
/// output has no naming scheme of its own.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Print<T>(T value) => System.Console.WriteLine(JsonSerializer.Serialize(value, Indented));
}
