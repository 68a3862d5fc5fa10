using SonoSynth.Experiments;
using SonoSynth.Training;

namespace SonoSynth.Tests.Experiments;

public sealed class ExperimentLayoutTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-layout-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // Written by GridRunner before done.json had a typed owner (the demo's judge cell on 2026-11-30), byte for byte.
    private const string DoneWrittenBefore =
        """{"cell":"quality/judge","stage":"Quality","finishedUtc":"2026-11-30T06:04:03.0850704Z","seconds":10.221723}""";

    [Fact]
    public void ReadsADoneMarkerOfEarlierRunsAndWritesTheSameBytes()
    {
        var path = Path.Combine(folder, "cells", "quality", "judge", "done.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, DoneWrittenBefore);

        var done = ExperimentLayout.ReadDone(path);
        Assert.Equal("quality/judge", done.Cell);
        Assert.Equal("Quality", done.Stage);
        Assert.Equal(new DateTime(2026, 11, 30, 6, 4, 3, DateTimeKind.Utc).AddTicks(850704), done.FinishedUtc);
        Assert.Equal(DateTimeKind.Utc, done.FinishedUtc.Kind);
        Assert.Equal(10.221723, done.Seconds);
        Assert.True(ExperimentLayout.IsDone(folder, "quality/judge"));
        Assert.Equal([done], ExperimentLayout.FinishedCells(folder));

        File.Delete(path);
        ExperimentLayout.WriteDone(folder, done);
        Assert.Equal(DoneWrittenBefore, File.ReadAllText(path));
    }

    [Fact]
    public void ABrokenDoneMarkerIsAnInputErrorNamingTheFile()
    {
        var path = Path.Combine(folder, "done.json");
        File.WriteAllText(path, "{\"cell\":");
        var error = Assert.Throws<InputError>(() => ExperimentLayout.ReadDone(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void CellIdsKeepTheFolderNamesOfEarlierRuns()
    {
        var scarce = new StudyLevel(30);
        var run = new ClassifierRunSettings { Regime = TrainingRegime.PretrainLastLayer, Synthetic = "round1+round2", PretrainAugment = "rotate,hflip" };
        Assert.Equal("n30/classify/resnet50/pretrain-lastlayer_round1-round2_pre-rotate-hflip/seed2",
            ExperimentLayout.ClassifierCell("resnet50", run, 2, scarce));
        Assert.Equal("diffusion/unet", ExperimentLayout.DiffusionCell(StudyLevel.Full));
        Assert.Equal(Path.Combine(folder, "cells", "n30", "synthetic", "round1"),
            ExperimentLayout.CellFolder(folder, ExperimentLayout.SyntheticCell("round1", scarce)));
    }
}
