using SonoSynth.Data.Phantom;
using SonoSynth.Diffusion.Training;
using SonoSynth.Experiments;
using SonoSynth.IO;

namespace SonoSynth.Tests.Reliability;

/// <summary>
/// kill -9 of the real CLI in the middle of diffusion training, classifier training and sampling, then the same command again:
/// no corrupt checkpoint, the same final weights as an uninterrupted run, no missing or duplicated images.
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("sonosynth-kill-").FullName;

    public KillAndResumeTests() => PhantomGenerator.Write(Path.Combine(root, "data"), new PhantomOptions(PerClass: 4, ImageSize: 32, ImagesPerPatient: 2));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string[] TrainArgs(string output) =>
        ["diffusion", "train", "--data", Path.Combine(root, "data"), "--out", output, "--preset", "cpu-tiny", "--steps", "24",
            "--batch-size", "4", "--checkpoint-every", "4", "--sample-every", "1000", "--seed", "5", "--threads", "1"];

    [Fact]
    [Trait("Category", "Slow")]
    public void DiffusionTrainingKilledMidRunResumesToTheSameWeights()
    {
        var straight = Path.Combine(root, "straight");
        CliProcess.RunToEnd(TrainArgs(straight));

        var killed = Path.Combine(root, "killed");
        var log = Path.Combine(killed, "loss.csv");
        CliProcess.KillWhen(() => File.Exists(log) && File.ReadLines(log).Count() > 10, TrainArgs(killed));
        CliProcess.RunToEnd([.. TrainArgs(killed), "--resume"]);

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
    [Trait("Category", "Slow")]
    public void ClassifierTrainingKilledInTheFineTunePhaseResumesToTheSameWeights()
    {
        var real = Path.Combine(root, "real");
        var synthetic = Path.Combine(root, "synthetic");
        PhantomGenerator.Write(real, new PhantomOptions(PerClass: 10, ImageSize: 32, ImagesPerPatient: 2, Seed: 1));
        PhantomGenerator.Write(synthetic, new PhantomOptions(PerClass: 6, ImageSize: 32, ImagesPerPatient: 2, Seed: 2));
        string[] TrainArgs(string output) => ["classify", "train", "--arch", "resnet18", "--data", real, "--synthetic", synthetic,
            "--regime", "pretrain-finetune", "--pretrain-epochs", "2", "--epochs", "5", "--batch-size", "4", "--image-size", "32",
            "--out", output, "--seed", "7", "--threads", "1"];

        var straight = Path.Combine(root, "classifier-straight");
        CliProcess.RunToEnd(TrainArgs(straight));
        var killed = Path.Combine(root, "classifier-killed");
        var fineTuneLog = Path.Combine(killed, "finetune", "epochs.csv");
        // Killed in the middle of fine-tuning: the pretraining phase is finished and must not run again.
        CliProcess.KillWhen(() => File.Exists(fineTuneLog) && File.ReadLines(fineTuneLog).Count() >= 3, TrainArgs(killed));
        var pretrained = File.GetLastWriteTimeUtc(Path.Combine(killed, "pretrain", "final.weights"));
        CliProcess.RunToEnd([.. TrainArgs(killed), "--resume"]);

        Assert.Equal(pretrained, File.GetLastWriteTimeUtc(Path.Combine(killed, "pretrain", "final.weights")));
        foreach (var weights in new[] { "pretrain/final.weights", "finetune/final.weights", "finetune/best-test.weights", "finetune/selected.weights" })
            Assert.True(File.ReadAllBytes(Path.Combine(straight, weights)).SequenceEqual(File.ReadAllBytes(Path.Combine(killed, weights))),
                $"{weights} differs after kill + resume");
        string[] Accuracies(string run) => File.ReadLines(Path.Combine(run, "finetune", "epochs.csv"))
            .Select(line => string.Join(',', line.Split(',')[..5])).ToArray(); // epoch, loss and accuracies; not the timings
        Assert.Equal(6, Accuracies(killed).Length);
        Assert.Equal(Accuracies(straight), Accuracies(killed));
        Assert.Equal(File.ReadAllText(Path.Combine(straight, "predictions.csv")), File.ReadAllText(Path.Combine(killed, "predictions.csv")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void SamplingKilledMidRunFillsTheGapsWithoutDuplicates()
    {
        var model = Path.Combine(root, "model");
        CliProcess.RunToEnd(["diffusion", "train", "--data", Path.Combine(root, "data"), "--out", model, "--preset", "cpu-tiny", "--steps", "2",
            "--batch-size", "2", "--sample-every", "1000", "--threads", "1"]);
        string[] SampleArgs(string output) => ["diffusion", "sample", "--model", Path.Combine(model, DiffusionCheckpoint.FileName),
            "--out", output, "--per-class", "4", "--timestep-respacing", "ddim8", "--batch-size", "2", "--seed", "3", "--threads", "1"];

        var straight = Path.Combine(root, "samples-straight");
        CliProcess.RunToEnd(SampleArgs(straight));
        var killed = Path.Combine(root, "samples-killed");
        CliProcess.KillWhen(() => Directory.Exists(killed) && Directory.EnumerateFiles(killed, "*.png", SearchOption.AllDirectories).Count() >= 6, SampleArgs(killed));
        CliProcess.RunToEnd(SampleArgs(killed));

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
    [Trait("Category", "Slow")]
    public void ExperimentRunKilledMidCellResumesToTheSameResults()
    {
        var config = Path.Combine(root, "grid.yaml");
        File.WriteAllText(config, """
            name: kill-grid
            data: { source: phantom, phantomPerClass: 6, phantomSeed: 4, imageSize: 16, split: patient, validationFraction: 0.2 }
            quality: { fid: false }
            classifiers:
              architectures: [resnet18]
              epochs: 6
              batchSize: 4
              seeds: [0, 1]
              runs:
                - { regime: real-only }
            """);
        string[] RunArgs(string output) => ["experiment", "run", config, "--out", output, "--threads", "1"];
        string[] cells = ["classify/resnet18/real-only/seed0", "classify/resnet18/real-only/seed1"];

        var straight = Path.Combine(root, "grid-straight");
        CliProcess.RunToEnd(RunArgs(straight));
        var killed = Path.Combine(root, "grid-killed");
        // Killed in the middle of the first classifier cell: two of its six epochs are on record, it is not done.
        var log = Path.Combine(ExperimentLayout.CellFolder(killed, cells[0]), "real", "epochs.csv");
        CliProcess.KillWhen(() => File.Exists(log) && File.ReadLines(log).Count() >= 3, RunArgs(killed));
        Assert.False(File.Exists(ExperimentLayout.DoneMarker(killed, cells[0])), "the cell finished before the kill");
        var dataDone = File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(killed, "data"));
        CliProcess.RunToEnd(RunArgs(killed));

        Assert.Equal(dataDone, File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(killed, "data"))); // finished cells are kept
        foreach (var cell in cells)
        {
            Assert.True(File.Exists(ExperimentLayout.DoneMarker(killed, cell)), $"{cell} did not finish after the resume");
            foreach (var file in new[] { "predictions.csv", "real/final.weights", "real/selected.weights" })
                Assert.True(File.ReadAllBytes(Path.Combine(ExperimentLayout.CellFolder(straight, cell), file))
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(ExperimentLayout.CellFolder(killed, cell), file))), $"{cell}/{file} differs after kill + resume");
        }
        // The report's tables are the same, apart from the times each stage took.
        string[] Tables(string experiment) => File.ReadAllLines(Path.Combine(experiment, "report", "report.md"))
            .Where(l => l.StartsWith('|') && !System.Text.RegularExpressions.Regex.IsMatch(l, @"\d+:\d\d \|$")).ToArray();
        Assert.Contains("| Real data only |", string.Join("\n", Tables(killed)));
        Assert.Equal(Tables(straight), Tables(killed));
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

    [Fact]
    [Trait("Category", "Slow")]
    public void ASecondProcessIsRefusedByTheLockWhichGoesWithTheFirstProcess()
    {
        var output = Path.Combine(root, "locked-run");
        string[] train = ["classify", "train", "--arch", "resnet18", "--data", Path.Combine(root, "data"), "--epochs", "200",
            "--batch-size", "4", "--image-size", "16", "--test-fraction", "0.5", "--threads", "1", "--out", output]; // 4 per class: 80/20 leaves no test image
        var log = Path.Combine(output, "real", "epochs.csv");
        using (var first = CliProcess.Start(train))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(log) && !first.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3)) Thread.Sleep(50);
            Assert.True(File.Exists(log) && !first.HasExited, $"the first run did not start training:\n{first.Output}");

            using var second = CliProcess.Start(train);
            Assert.Equal(2, second.WaitForExit());
            var message = System.Text.RegularExpressions.Regex.Replace(second.Output, @"\s+", " ");
            Assert.Contains($"lock file '{Path.Combine(output, OutputFolderLock.FileName)}'", message);
            Assert.Contains("Another SonoSynth run is using", message);
            Assert.False(first.HasExited, "the refused run disturbed the first one");
        } // disposing kills the first run (SIGKILL)

        // The lock goes with the killed process: once the kernel has reaped it (SIGKILL is asynchronous), a new run may start.
        var reaped = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try { using var after = OutputFolderLock.Acquire(output); break; }
            catch (IOException) when (reaped.Elapsed < TimeSpan.FromSeconds(30)) { Thread.Sleep(100); }
        }
    }
}
