using SonoSynth.Tests.Training;
using SonoSynth.TrainingKit;

namespace SonoSynth.Tests.TrainingKit;

public class StepLogTests
{
    [Fact]
    public void A_resumed_log_drops_the_rows_after_its_checkpoint_and_a_torn_row()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf(StepLog.LossFileName);
        var log = new StepLog(path, "step,loss", resumedStep: 0);
        for (int step = 1; step <= 4; step++) log.Add($"{step},{step / 10.0}");
        log.Flush();
        File.AppendAllText(path, "5,0."); // killed while writing

        new StepLog(path, "step,loss", resumedStep: 2);

        Assert.Equal(["step,loss", "1,0.1", "2,0.2"], File.ReadAllLines(path));
    }

    [Fact]
    public void Read_gives_one_column_by_step_and_skips_rows_without_a_number()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("loss.csv");
        File.WriteAllText(path, "step,loss,accuracy\n1,0.5,0.25\n2,0.4,\n3,0.3,0.5\n4"); // the last row torn by a kill

        Assert.Equal([(1L, 0.25), (3L, 0.5)], StepLog.Read(path, "accuracy"));
        Assert.Equal([(1L, 0.5), (2L, 0.4), (3L, 0.3)], StepLog.Read(path, "loss"));
        Assert.Empty(StepLog.Read(path, "vb"));
        Assert.Empty(StepLog.Read(folder.PathOf("missing.csv"), "loss"));
    }
}
