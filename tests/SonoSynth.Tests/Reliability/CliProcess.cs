using System.Diagnostics;
using System.Text;
using SonoSynth.Cli.Commands;

namespace SonoSynth.Tests.Reliability;

/// <summary>The real sonosynth CLI as a child process, so a test can kill it with SIGKILL or run it on another file system.</summary>
public sealed class CliProcess : IDisposable
{
    public static string Dll { get; } = typeof(DiffusionCommands).Assembly.Location;

    private readonly Process process;
    private readonly StringBuilder output = new();

    private CliProcess(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["COLUMNS"] = "200"; // keep error lines unwrapped, so tests can search them
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts `dotnet exec SonoSynth.Cli.dll args`.</summary>
    public static CliProcess Start(params string[] args) => new(new ProcessStartInfo("dotnet", ["exec", Dll, .. args]));

    /// <summary>Starts any program (e.g. a shell script that calls the CLI inside a private mount namespace).</summary>
    public static CliProcess StartProgram(string program, params string[] args) => new(new ProcessStartInfo(program, args));

    public bool HasExited => process.HasExited;

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Waits for the end and returns the exit code; fails the test after <paramref name="minutes"/>.</summary>
    public int WaitForExit(double minutes = 4)
    {
        if (!process.WaitForExit(TimeSpan.FromMinutes(minutes)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the command did not finish in {minutes} minutes. Output:\n{Output}");
        }
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    /// <summary>Runs the CLI to the end and asserts success.</summary>
    public static void RunToEnd(params string[] args)
    {
        using var cli = Start(args);
        int code = cli.WaitForExit();
        Assert.True(code == 0, $"sonosynth {string.Join(' ', args)} exited with {code}:\n{cli.Output}");
    }

    /// <summary>Starts the CLI and kills it (SIGKILL, the whole process tree) once <paramref name="ready"/> holds.</summary>
    public static void KillWhen(Func<bool> ready, params string[] args)
    {
        using var cli = Start(args);
        var clock = Stopwatch.StartNew();
        while (!ready() && !cli.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
        Assert.False(cli.HasExited, "the command finished before it could be killed; make it longer");
        cli.process.Kill(entireProcessTree: true);
        cli.process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
