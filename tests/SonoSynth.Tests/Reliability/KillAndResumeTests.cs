using System.Diagnostics;
using SonoSynth.Cli.Commands;
using SonoSynth.Data.Phantom;
using SonoSynth.Diffusion.Training;
using SonoSynth.IO;

namespace SonoSynth.Tests.Reliability;

/// <summary>
/// kill -9 of the real CLI in the middle of diffusion training and of sampling, then the same command again:
/// no corrupt checkpoint, the same final weights as an uninterrupted run, no missing or duplicated images.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sonosynth-kill-").FullName;
    private static readonly string Cli = typeof(DiffusionCommands).Assembly.Location;

    public KillAndResumeTests() => PhantomGenerator.Write(Path.Combine(root, "data"), new PhantomOptions(PerClass: 4, ImageSize: 32, ImagesPerPatient: 2));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void RunToEnd(params string[] args)
    {
        using var process = Start(args);
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(4)), "the CLI did not finish in 4 minutes");
        Assert.Equal(0, process.ExitCode);
    }

    /// <summary>Starts the command and kills it (SIGKILL) once <paramref name="ready"/> holds.</summary>
    private static void KillWhen(Func<bool> ready, params string[] args)
    {
        using var process = Start(args);
        var clock = Stopwatch.StartNew();
        while (!ready() && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(20);
        Assert.False(process.HasExited, "the command finished before it could be killed; make it longer");
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private string[] TrainArgs(string output) =>
        ["diffusion", "train", "--data", Path.Combine(root, "data"), "--out", output, "--preset", "cpu-tiny", "--steps", "24",
            "--batch-size", "4", "--checkpoint-every", "4", "--sample-every", "1000", "--seed", "5", "--threads", "1"];

    [Fact]
    public void DiffusionTrainingKilledMidRunResumesToTheSameWeights()
    {
        var straight = Path.Combine(root, "straight");
        RunToEnd(TrainArgs(straight));

        var killed = Path.Combine(root, "killed");
        var log = Path.Combine(killed, "loss.csv");
        KillWhen(() => File.Exists(log) && File.ReadLines(log).Count() > 10, TrainArgs(killed));
        RunToEnd([.. TrainArgs(killed), "--resume"]);

        foreach (var ema in new[] { false, true })
        {
            var (a, headerA) = DiffusionCheckpoint.Load(Path.Combine(straight, DiffusionCheckpoint.FileName), useEma: ema);
            var (b, headerB) = DiffusionCheckpoint.Load(Path.Combine(killed, DiffusionCheckpoint.FileName), useEma: ema);
            Assert.Equal(24, headerA.Step);
            Assert.Equal(headerA.Step, headerB.Step);
            var left = a.state_dict();
            var right = b.state_dict();
            foreach (var (name, tensor) in left)
                Assert.True(tensor.eq(right[name]).all().item<bool>(), $"{name} differs after kill + resume (ema={ema})");
        }
        var steps = File.ReadLines(Path.Combine(killed, "loss.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(steps.Distinct().Count(), steps.Count); // no duplicated log rows
    }

    [Fact]
    public void SamplingKilledMidRunFillsTheGapsWithoutDuplicates()
    {
        var model = Path.Combine(root, "model");
        RunToEnd(["diffusion", "train", "--data", Path.Combine(root, "data"), "--out", model, "--preset", "cpu-tiny", "--steps", "2",
            "--batch-size", "2", "--sample-every", "1000", "--threads", "1"]);
        string[] SampleArgs(string output) => ["diffusion", "sample", "--model", Path.Combine(model, DiffusionCheckpoint.FileName),
            "--out", output, "--per-class", "4", "--timestep-respacing", "ddim8", "--batch-size", "2", "--seed", "3", "--threads", "1"];

        var straight = Path.Combine(root, "samples-straight");
        RunToEnd(SampleArgs(straight));
        var killed = Path.Combine(root, "samples-killed");
        KillWhen(() => Directory.Exists(killed) && Directory.EnumerateFiles(killed, "*.png", SearchOption.AllDirectories).Count() >= 6, SampleArgs(killed));
        RunToEnd(SampleArgs(killed));

        string[] Pngs(string folder) => Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f)).Order().ToArray();
        Assert.Equal(24, Pngs(straight).Length);
        Assert.Equal(Pngs(straight), Pngs(killed));
        foreach (var png in Pngs(straight))
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight, png)), File.ReadAllBytes(Path.Combine(killed, png)));
        var rows = File.ReadAllLines(Path.Combine(killed, "manifest.csv")).Skip(1).ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Split(',')[0]).Distinct().Count());
    }

    [Fact]
    public void ASecondRunOnTheSameFolderIsRefused()
    {
        var folder = Path.Combine(root, "locked");
        using var first = OutputFolderLock.Acquire(folder);
        var error = Assert.Throws<IOException>(() => OutputFolderLock.Acquire(folder));
        Assert.Contains("Another SonoSynth run is using", error.Message);
        first.Dispose();
        using var again = OutputFolderLock.Acquire(folder); // released: a later run may start
    }
}
