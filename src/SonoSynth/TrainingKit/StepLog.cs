using System.Globalization;
using SonoSynth.IO;

namespace SonoSynth.TrainingKit;

/// <summary>
/// A per-step CSV log such as loss.csv. Rows are kept in memory and appended when a checkpoint is written, and a
/// resumed run first drops the rows after its checkpoint's step, so a run killed between checkpoints logs each step once.
/// </summary>
public sealed class StepLog
{
    /// <summary>The file both diffusion trainers log their steps to.</summary>
    public const string LossFileName = "loss.csv";

    private readonly List<string> pending = [];

    /// <param name="columns">The header line, e.g. "step,loss,accuracy"; the first column must be the step.</param>
    /// <param name="resumedStep">The step the run continues from (0 for a fresh run, which starts a new file).</param>
    public StepLog(string path, string columns, long resumedStep)
    {
        Path = path;
        if (!File.Exists(path) || resumedStep == 0) { AtomicFile.WriteAllText(path, columns + "\n"); return; }
        var kept = File.ReadAllLines(path).Skip(1).Where(line => StepOf(Csv.Split(line)) is { } step && step <= resumedStep);
        AtomicFile.WriteAllText(path, string.Join("\n", kept.Prepend(columns)) + "\n");
    }

    public string Path { get; }

    /// <summary>Adds a row, formatted with the invariant culture (a null value writes an empty field).</summary>
    public void Add(FormattableString row) => pending.Add(row.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// One numeric column of a step log against its step, in file order; rows without a number in both (a row torn by a
    /// kill) are skipped. Empty when the file or the column does not exist.
    /// </summary>
    public static IReadOnlyList<(long Step, double Value)> Read(string path, string column)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        int index = lines.Length == 0 ? -1 : (Csv.Split(lines[0]) ?? []).IndexOf(column);
        if (index < 1) return [];
        var points = new List<(long, double)>();
        foreach (var fields in lines.Skip(1).Select(Csv.Split))
        {
            if (StepOf(fields) is { } step && fields!.Count > index
                && double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                points.Add((step, value));
        }
        return points;
    }

    private static long? StepOf(List<string>? fields) =>
        fields is { Count: > 0 } && long.TryParse(fields[0], CultureInfo.InvariantCulture, out var step) ? step : null;

    public void Flush()
    {
        if (pending.Count == 0) return;
        File.AppendAllLines(Path, pending);
        pending.Clear();
    }
}
