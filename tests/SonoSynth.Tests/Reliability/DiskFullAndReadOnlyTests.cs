using SonoSynth.Data.Phantom;
using SonoSynth.Diffusion.Training;

namespace SonoSynth.Tests.Reliability;

/// <summary>
/// The CLI on a file system that fills up mid-run, and on a read-only one. Each case runs inside a private user and
/// mount namespace (unshare), where a tmpfs of known size stands in for the disk, so nothing outside the test changes.
/// </summary>
[Trait("Category", "Slow")]
[Trait("Category", "System")]
public sealed class DiskFullAndReadOnlyTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sonosynth-disk-").FullName;
    private string Data => Path.Combine(root, "data");
    private string Mount => Path.Combine(root, "mnt");
    private string Snapshot => Path.Combine(root, "snapshot");

    public DiskFullAndReadOnlyTests()
    {
        SystemRequirements.Require(SystemRequirement.UserNamespaces);
        PhantomGenerator.Write(Data, new PhantomOptions(PerClass: 10, ImageSize: 32, ImagesPerPatient: 2, Seed: 1));
        Directory.CreateDirectory(Mount);
        Directory.CreateDirectory(Snapshot);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Runs a bash script as root of a new user + mount namespace; $1 = mount point, $2 = snapshot folder, $3 = CLI dll.</summary>
    private void RunIsolated(string script)
    {
        using var shell = CliProcess.StartProgram("unshare", "--user", "--map-root-user", "--mount", "bash", "-c",
            "set -u\ncli() { dotnet exec \"$dll\" \"$@\"; }\nmnt=\"$1\"; snap=\"$2\"; dll=\"$3\"\n" + script, "isolated", Mount, Snapshot, CliProcess.Dll);
        int code = shell.WaitForExit(minutes: 6);
        Assert.True(code == 0, $"the isolated script failed ({code}); this test needs `unshare --user --map-root-user --mount` " +
            $"(unprivileged user namespaces, or root):\n{shell.Output}");
    }

    private string Snap(string name) => Path.Combine(Snapshot, name);
    private int ExitCode(string name) => int.Parse(File.ReadAllText(Snap(name + ".code")).Trim());
    private string Log(string name) => File.ReadAllText(Snap(name + ".log"));

    private static string[] Files(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(folder, f)).Where(f => f != ".sonosynth.lock").Order().ToArray();

    [SystemFact(SystemRequirement.UserNamespaces)]
    public void SamplingOntoAFullDiskStopsClearlyKeepsEveryImageAndARerunFillsTheGaps()
    {
        var model = Path.Combine(root, "model");
        CliProcess.RunToEnd(["diffusion", "train", "--data", Data, "--out", model, "--preset", "cpu-tiny", "--steps", "2",
            "--batch-size", "2", "--sample-every", "1000", "--threads", "1"]);
        var checkpoint = Path.Combine(model, DiffusionCheckpoint.FileName);
        RunIsolated($$"""
            mount -t tmpfs -o size=4m tmpfs "$mnt"
            sample() { cli diffusion sample --model '{{checkpoint}}' --out "$mnt/samples" --timestep-respacing ddim4 --batch-size 2 --seed 3 --threads 1 "$@"; }
            sample --per-class 2 > "$snap/first.log" 2>&1; echo $? > "$snap/first.code"
            cp -a "$mnt/samples" "$snap/before"
            dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null || true
            sample --per-class 4 > "$snap/full.log" 2>&1; echo $? > "$snap/full.code"
            cp -a "$mnt/samples" "$snap/during"
            rm "$mnt/filler"
            sample --per-class 4 > "$snap/rerun.log" 2>&1; echo $? > "$snap/rerun.code"
            cp -a "$mnt/samples" "$snap/after"
            """);

        Assert.Equal(0, ExitCode("first"));
        Assert.True(ExitCode("full") == 2, Log("full"));
        Assert.Contains("is full", Log("full"));
        Assert.Contains("Free some space", Log("full"));
        // Nothing already written is lost or torn, and no temporary file is left behind.
        Assert.Equal(Files(Snap("before")), Files(Snap("during")));
        foreach (var file in Files(Snap("before")))
            Assert.Equal(File.ReadAllBytes(Path.Combine(Snap("before"), file)), File.ReadAllBytes(Path.Combine(Snap("during"), file)));
        Assert.Equal(0, ExitCode("rerun"));
        Assert.Equal(24, Files(Snap("after")).Count(f => f.EndsWith(".png", StringComparison.Ordinal)));
        foreach (var file in Files(Snap("before")).Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            Assert.Equal(File.ReadAllBytes(Path.Combine(Snap("before"), file)), File.ReadAllBytes(Path.Combine(Snap("after"), file)));
        var rows = File.ReadAllLines(Path.Combine(Snap("after"), "manifest.csv")).Skip(1).Select(r => r.Split(',')[0]).ToList();
        Assert.Equal(24, rows.Distinct().Count());
        Assert.Equal(24, rows.Count);
    }

    [SystemFact(SystemRequirement.UserNamespaces)]
    public void ClassifierTrainingThatFillsTheDiskKeepsTheLastCheckpointAndResumesToTheSameWeights()
    {
        string Train(string output) => $"classify train --arch resnet18 --data '{Data}' --epochs 8 --batch-size 4 --image-size 32 " +
            $"--seed 4 --threads 1 --out {output}";
        var straight = Path.Combine(root, "straight");
        CliProcess.RunToEnd(Train(straight).Replace("'", "").Split(' '));
        RunIsolated($$"""
            mount -t tmpfs -o size=400m tmpfs "$mnt"
            cli {{Train("\"$mnt/run\"")}} > "$snap/full.log" 2>&1 &
            pid=$!
            # Fill the disk once two epochs are on record, while the third is training.
            until [ "$(cat "$mnt/run/real/epochs.csv" 2>/dev/null | wc -l)" -ge 3 ] || ! kill -0 $pid 2>/dev/null; do sleep 0.05; done
            dd if=/dev/zero of="$mnt/filler" bs=1M 2>/dev/null || true
            wait $pid; echo $? > "$snap/full.code"
            cp -a "$mnt/run" "$snap/during"
            rm "$mnt/filler"
            cli {{Train("\"$mnt/run\"")}} --resume > "$snap/resume.log" 2>&1; echo $? > "$snap/resume.code"
            cp -a "$mnt/run" "$snap/after"
            """);

        Assert.True(ExitCode("full") == 2, Log("full"));
        Assert.Contains("is full", Log("full"));
        Assert.Contains("--resume", Log("full"));
        Assert.DoesNotContain(Files(Snap("during")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Snap("during"), "real", "checkpoint.bin")), "the last good checkpoint is gone");
        Assert.True(ExitCode("resume") == 0, Log("resume"));
        foreach (var weights in new[] { "final.weights", "best-test.weights", "selected.weights" })
            Assert.True(File.ReadAllBytes(Path.Combine(straight, "real", weights)).SequenceEqual(File.ReadAllBytes(Path.Combine(Snap("after"), "real", weights))),
                $"{weights} differs from the uninterrupted run");
    }

    [SystemFact(SystemRequirement.UserNamespaces)]
    public void AReadOnlyOutputFolderIsRefusedBeforeAnyWorkWithTheFolderAndTheFix()
    {
        RunIsolated($"""
            mount -t tmpfs -o ro,size=1m tmpfs "$mnt"
            cli classify train --arch resnet18 --data '{Data}' --epochs 1 --image-size 32 --out "$mnt/run" > "$snap/classify.log" 2>&1; echo $? > "$snap/classify.code"
            cli diffusion train --data '{Data}' --steps 1 --out "$mnt/unet" > "$snap/diffusion.log" 2>&1; echo $? > "$snap/diffusion.code"
            cli data phantom --per-class 2 --size 32 --out "$mnt/phantom" > "$snap/phantom.log" 2>&1; echo $? > "$snap/phantom.code"
            """);
        foreach (var (name, folder) in new[] { ("classify", "run"), ("diffusion", "unet"), ("phantom", "phantom") })
        {
            Assert.True(ExitCode(name) == 2, Log(name));
            var log = System.Text.RegularExpressions.Regex.Replace(Log(name), @"\s+", " "); // the console wraps long lines
            Assert.True(log.Contains($"Cannot write to the output folder '{Path.Combine(Mount, folder)}'") && log.Contains("choose another output folder"), log);
        }
    }
}
