using System.Globalization;
using System.Text;
using SonoSynth.IO;

namespace SonoSynth.Training;

/// <summary>The per-epoch log <c>epochs.csv</c>, rewritten atomically after every epoch (a kill never tears it).</summary>
public static class TrainingLog
{
    public const string Header = "epoch,train_loss,train_accuracy,test_accuracy,validation_accuracy,images_per_second,data_wait_share,seconds";

    public static void Write(string path, IEnumerable<EpochRecord> epochs)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var e in epochs)
            text.Append(string.Join(',', e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.TrainLoss), F(e.TrainAccuracy),
                F(e.TestAccuracy), e.ValidationAccuracy is double v ? F(v) : "", F(e.ImagesPerSecond), F(e.DataWaitShare), F(e.Seconds))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
