using SonoSynth.Experiments;

namespace SonoSynth.Tests.Experiments;

public sealed class ExperimentSessionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-session-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static ExperimentCell Cell(string id, ExperimentStage stage, params string[] dependsOn) => new(id, stage, dependsOn, _ => { });

    private static readonly ExperimentCell[] Cells =
    [
        Cell("classify/b", ExperimentStage.Classifiers, "data"),
        Cell("data", ExperimentStage.Data),
        Cell("classify/a", ExperimentStage.Classifiers, "data"),
    ];

    [Fact]
    public void AnArrayTaskRunsOneCellOfItsStageAndLocksOnlyThatCellsFolder()
    {
        var task = ExperimentSession.Select(Cells, folder, ExperimentStage.Classifiers, 1);
        Assert.Equal(["classify/a"], task.Only!); // Slurm's array order: the order the grid runs them in
        Assert.Equal(Path.Combine(folder, "cells", "classify", "a"), task.LockedFolder);

        var whole = ExperimentSession.Select(Cells, folder, null, null);
        Assert.Null(whole.Only);
        Assert.Equal(folder, whole.LockedFolder);

        var error = Assert.Throws<InputError>(() => ExperimentSession.Select(Cells, folder, ExperimentStage.Classifiers, 2));
        Assert.Contains("--index 2 is outside 0..1", error.Message);
    }

    [Fact]
    public void APinnedConfigRefusesAnother()
    {
        ExperimentSession.PinConfig(folder, "name: a\n");
        ExperimentSession.PinConfig(folder, "name: a\n");
        Assert.Equal("name: a\n", File.ReadAllText(Path.Combine(folder, "config.yaml")));
        var error = Assert.Throws<InputError>(() => ExperimentSession.PinConfig(folder, "name: b\n"));
        Assert.Contains("different config", error.Message);
    }
}
