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

    /// <summary>
    /// Starts the CLI and kills it (SIGKILL, the whole process tree) once <paramref name="ready"/> holds. Fails the test
    /// if the command ends first, or if the condition never held within <paramref name="minutes"/>: then the kill
    /// would not be the mid-run kill the test is about.
    /// </summary>
    public static void KillWhen(Func<bool> ready, string[] args, double minutes = 3)
    {
        using var cli = Start(args);
        var clock = Stopwatch.StartNew();
        bool held = false;
        while (!cli.HasExited && clock.Elapsed < TimeSpan.FromMinutes(minutes))
        {
            if (held = ready()) break;
            Thread.Sleep(20);
        }
        Assert.False(cli.HasExited && !held, $"the command finished before it could be killed; make it longer. Output:\n{cli.Output}");
        if (!held)
        {
            cli.process.Kill(entireProcessTree: true);
            cli.process.WaitForExit();
            Assert.Fail($"the mid-run condition never held in {minutes} minutes, so the command was not killed mid-run. Output:\n{cli.Output}");
        }
        cli.process.Kill(entireProcessTree: true);
        cli.process.WaitForExit();
        Assert.False(cli.process.ExitCode == 0, "the command exited normally at the moment it was killed; make it longer");
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
