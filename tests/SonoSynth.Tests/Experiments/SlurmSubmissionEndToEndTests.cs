using System.Diagnostics;
using SonoSynth.Cli.Commands;
using SonoSynth.Experiments;

namespace SonoSynth.Tests.Experiments;

/// <summary>`experiment submit --slurm` on a real single-node Slurm runs a tiny grid to the end in the same cell folders.</summary>
[Trait("Category", "Slow")]
[Trait("Category", "System")]
public sealed class SlurmSubmissionEndToEndTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-slurm-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SystemFact(SystemRequirement.Slurm)]
    public void ATinyGridRunsToTheEndAsChainedJobArrays()
    {
        SystemRequirements.Require(SystemRequirement.Slurm);
        using var slurm = SingleNodeSlurm.Start(Path.Combine(folder, "slurm"));
        var config = Path.Combine(folder, "tiny.yaml");
        File.WriteAllText(config, """
            name: slurm-tiny
            data: { source: phantom, phantomPerClass: 5, imageSize: 16, split: patient, validationFraction: 0.2 }
            quality: { fid: false }
            classifiers:
              architectures: [resnet18]
              epochs: 1
              batchSize: 8
              seeds: [0, 1]
              runs:
                - { regime: real-only }
            """);
        var experiment = Path.Combine(folder, "experiment");
        var start = new ProcessStartInfo("dotnet", ["exec", typeof(ExperimentCommands).Assembly.Location, "experiment", "submit", config,
            "--out", experiment, "--slurm", "--cpus-per-task", "1", "--mem", "1G", "--time", "00:10:00"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SLURM_CONF"] = slurm.ConfigPath;
        using (var submit = Process.Start(start)!)
        {
            var output = submit.StandardOutput.ReadToEnd() + submit.StandardError.ReadToEnd();
            submit.WaitForExit();
            Assert.True(submit.ExitCode == 0, "submit failed: " + output);
            Assert.Contains("classifiers: job", output);
        }
        Assert.True(slurm.WaitForEmptyQueue(TimeSpan.FromMinutes(5)), "jobs still queued after 5 minutes:\n" + slurm.ReadLog("slurmctld.log"));

        var logs = string.Join("\n", Directory.EnumerateFiles(Path.Combine(experiment, "slurm"), "*.log").Select(File.ReadAllText));
        foreach (var cell in new[] { "data", "classify/resnet18/real-only/seed0", "classify/resnet18/real-only/seed1" })
            Assert.True(File.Exists(ExperimentLayout.DoneMarker(experiment, cell)), $"cell {cell} did not finish. Job logs:\n{logs}");
    }
}
