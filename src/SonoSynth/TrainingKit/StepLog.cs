using System.Globalization;
using SonoSynth.IO;

namespace SonoSynth.TrainingKit;

/// <summary>
/// A per-step CSV log such as loss.csv. Rows are kept in memory and appended when a checkpoint is written, and a
/// resumed run first drops the rows after its checkpoint's step, so a run killed between checkpoints logs each step once.
/// </summary>
public sealed class StepLog
{
    private readonly List<string> pending = [];

    /// <param name="columns">The header line, e.g. "step,loss,accuracy"; the first column must be the step.</param>
    /// <param name="resumedStep">The step the run continues from (0 for a fresh run, which starts a new file).</param>
    public StepLog(string path, string columns, long resumedStep)
    {
        Path = path;
        if (!File.Exists(path) || resumedStep == 0) { AtomicFile.WriteAllText(path, columns + "\n"); return; }
        var kept = File.ReadAllLines(path).Skip(1)
            .Where(line => long.TryParse(line.Split(',')[0], CultureInfo.InvariantCulture, out var step) && step <= resumedStep);
        AtomicFile.WriteAllText(path, string.Join("\n", kept.Prepend(columns)) + "\n");
    }

    public string Path { get; }

    /// <summary>Adds a row, formatted with the invariant culture (a null value writes an empty field).</summary>
    public void Add(FormattableString row) => pending.Add(row.ToString(CultureInfo.InvariantCulture));

    public void Flush()
    {
        if (pending.Count == 0) return;
        File.AppendAllLines(Path, pending);
        pending.Clear();
    }
}
