using System.Diagnostics;
using System.Text.Json;
using SonoSynth.Interop;
using static TorchSharp.torch;

namespace SonoSynth.Tests;

/// <summary>
/// Runs a committed generator script of scripts/reference/ with Debian's /usr/bin/python3 (python3-torch 1.13,
/// python3-torchvision 0.14): the outside reference a test compares our numbers with. Never the python first on PATH.
/// </summary>
internal static class ReferenceScript
{
    /// <summary>Runs the script to the end and returns its last stdout line parsed as JSON; fails the test on a non-zero exit.</summary>
    public static JsonDocument Run(string script, params string[] args) => JsonDocument.Parse(LastLine(RunForOutput(script, args)));

    /// <summary>Runs the script and returns (exit code, stdout, stderr) without judging them.</summary>
    public static (int ExitCode, string Output, string Errors) RunRaw(string script, params string[] args)
    {
        SystemRequirements.Require(SystemRequirement.DebianPyTorch);
        var start = new ProcessStartInfo(SystemRequirements.DebianPython, [Repository.PathOf("scripts", "reference", script), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Seconds on an idle machine; the limit only catches a hang on a busy one.
        if (!process.WaitForExit(TimeSpan.FromMinutes(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish in 30 minutes.");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>A .npy array a script wrote, as float32.</summary>
    public static Tensor ReadFloat32(string path)
    {
        using var stream = File.OpenRead(path);
        using var values = NpyFile.ReadTensor(stream, path);
        return values.to_type(ScalarType.Float32);
    }

    private static string RunForOutput(string script, string[] args)
    {
        var (code, output, errors) = RunRaw(script, args);
        Assert.True(code == 0, $"{SystemRequirements.DebianPython} scripts/reference/{script} {string.Join(' ', args)} exited with {code}:\n{output}\n{errors}");
        return output;
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
        ?? throw new Xunit.Sdk.XunitException("The reference script printed nothing.");
}
