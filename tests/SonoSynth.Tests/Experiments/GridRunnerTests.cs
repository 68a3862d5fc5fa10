using SonoSynth.Experiments;

namespace SonoSynth.Tests.Experiments;

public sealed class GridRunnerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-grid-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ExperimentCell Cell(string id, ExperimentStage stage, List<string> log, params string[] dependsOn) =>
        new(id, stage, dependsOn, context =>
        {
            log.Add(id);
            File.WriteAllText(Path.Combine(context.Folder, "out.txt"), id);
        });

    [Fact]
    public void RunsCellsAfterTheirDependencies()
    {
        var log = new List<string>();
        var cells = new[]
        {
            Cell("classify/a", ExperimentStage.Classifiers, log, "sample/r1"),
            Cell("sample/r1", ExperimentStage.Sampling, log, "diffusion"),
            Cell("diffusion", ExperimentStage.Diffusion, log),
        };
        new GridRunner(folder, cells).Run();
        Assert.Equal(["diffusion", "sample/r1", "classify/a"], log);
    }

    [Fact]
    public void ASecondRunAfterAKillRecomputesNothingFinished()
    {
        var log = new List<string>();
        bool crash = true;
        var cells = new List<ExperimentCell>
        {
            Cell("diffusion", ExperimentStage.Diffusion, log),
            new("sample/r1", ExperimentStage.Sampling, ["diffusion"], context =>
            {
                log.Add("sample/r1");
                // Stands in for a kill: the process dies inside this cell, before its done marker.
                if (crash) throw new InvalidOperationException("killed");
            }),
            Cell("classify/a", ExperimentStage.Classifiers, log, "sample/r1"),
            Cell("classify/real", ExperimentStage.Classifiers, log, "diffusion"),
        };
        var first = new GridRunner(folder, cells).Run();
        Assert.Equal("failed", first.Single(o => o.Id == "sample/r1").Status);
        Assert.Equal("skipped", first.Single(o => o.Id == "classify/a").Status);
        Assert.Equal("ran", first.Single(o => o.Id == "classify/real").Status);

        log.Clear();
        crash = false;
        var second = new GridRunner(folder, cells).Run();
        Assert.Equal(["sample/r1", "classify/a"], log);
        Assert.Equal("done-before", second.Single(o => o.Id == "diffusion").Status);
        Assert.Equal("done-before", second.Single(o => o.Id == "classify/real").Status);
    }

    [Fact]
    public void ACycleIsReportedByName()
    {
        var log = new List<string>();
        var cells = new[] { Cell("a", ExperimentStage.Data, log, "b"), Cell("b", ExperimentStage.Data, log, "a") };
        var error = Assert.Throws<ArgumentException>(() => GridRunner.Order(cells));
        Assert.Contains("cycle", error.Message);
    }

    [Fact]
    public void SlurmScriptsChainStagesWithAfterOkAndIndexCells()
    {
        var log = new List<string>();
        var cells = new[]
        {
            Cell("diffusion", ExperimentStage.Diffusion, log),
            Cell("classify/a", ExperimentStage.Classifiers, log, "diffusion"),
            Cell("classify/b", ExperimentStage.Classifiers, log, "diffusion"),
        };
        var submit = SlurmSubmission.WriteScripts(folder, cells, "sonosynth experiment run-cell c.yaml --stage $STAGE --index $SLURM_ARRAY_TASK_ID", new SlurmOptions());
        var text = File.ReadAllText(submit);
        Assert.Contains("--dependency=afterok:$previous", text);
        var classify = File.ReadAllText(Directory.GetFiles(Path.GetDirectoryName(submit)!, "*classifiers.sbatch").Single());
        Assert.Contains("#SBATCH --array=0-1", classify);
        Assert.Contains("#   1: classify/b", classify);
    }
}
