using System.Diagnostics;
using SonoSynth.IO;
using SonoSynth.Runtime;

namespace SonoSynth.Experiments;

/// <summary>
/// Runs a grid of cells in dependency order. A cell counts as finished when its <c>done.json</c> exists (written
/// atomically after it succeeded), so a killed run resumes where it stopped and never recomputes a finished cell.
/// </summary>
public sealed class GridRunner(string experimentFolder, IReadOnlyList<ExperimentCell> cells)
{
    public sealed record CellOutcome(string Id, string Status, double Seconds, string? Error);

    /// <summary>Cells in an order where every cell comes after the cells it depends on.</summary>
    public static IReadOnlyList<ExperimentCell> Order(IReadOnlyList<ExperimentCell> cells)
    {
        var byId = new Dictionary<string, ExperimentCell>();
        foreach (var cell in cells)
            if (!byId.TryAdd(cell.Id, cell)) throw new ArgumentException($"Two cells share the id '{cell.Id}'.");
        foreach (var cell in cells)
            foreach (var dependency in cell.DependsOn)
                if (!byId.ContainsKey(dependency))
                    throw new ArgumentException($"Cell '{cell.Id}' depends on unknown cell '{dependency}'.");
        var ordered = new List<ExperimentCell>();
        var state = new Dictionary<string, int>(); // 1 = visiting, 2 = done
        void Visit(ExperimentCell cell)
        {
            if (state.TryGetValue(cell.Id, out var s))
            {
                if (s == 1) throw new ArgumentException($"Cells depend on each other in a cycle through '{cell.Id}'.");
                return;
            }
            state[cell.Id] = 1;
            foreach (var dependency in cell.DependsOn) Visit(byId[dependency]);
            state[cell.Id] = 2;
            ordered.Add(cell);
        }
        foreach (var cell in cells.OrderBy(c => c.Stage)) Visit(cell);
        return ordered;
    }

    public bool IsDone(string cellId) => ExperimentLayout.IsDone(experimentFolder, cellId);

    /// <summary>
    /// Runs every unfinished cell (or only those of <paramref name="onlyStage"/>). A failing cell is recorded and its
    /// dependants are skipped; independent cells still run. Returns one outcome per cell.
    /// </summary>
    public IReadOnlyList<CellOutcome> Run(IProgress<ProgressUpdate>? progress = null, ExperimentStage? onlyStage = null,
        IReadOnlyCollection<string>? onlyCells = null)
    {
        var ordered = Order(cells);
        var failed = new HashSet<string>();
        var outcomes = new List<CellOutcome>();
        int index = 0;
        foreach (var cell in ordered)
        {
            index++;
            if ((onlyStage is not null && cell.Stage != onlyStage) || (onlyCells is not null && !onlyCells.Contains(cell.Id)))
                continue;
            if (IsDone(cell.Id)) { outcomes.Add(new(cell.Id, "done-before", 0, null)); continue; }
            // Dependencies come earlier in the order, so one that is not done now failed or was filtered out.
            var blocker = cell.DependsOn.FirstOrDefault(d => !IsDone(d));
            if (blocker is not null)
            {
                failed.Add(cell.Id);
                outcomes.Add(new(cell.Id, "skipped", 0, $"needs '{blocker}', which has not finished"));
                continue;
            }
            progress?.Report(ProgressUpdate.Of("grid", index - 1, ordered.Count));
            var folder = ExperimentLayout.CellFolder(experimentFolder, cell.Id);
            Directory.CreateDirectory(folder);
            var clock = Stopwatch.StartNew();
            try
            {
                cell.Run(new CellContext(folder, experimentFolder, progress));
                ExperimentLayout.WriteDone(experimentFolder, new CellDone(cell.Id, cell.Stage.ToString(), DateTime.UtcNow, clock.Elapsed.TotalSeconds));
                outcomes.Add(new(cell.Id, "ran", clock.Elapsed.TotalSeconds, null));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failed.Add(cell.Id);
                AtomicFile.WriteAllText(ExperimentLayout.ErrorPath(experimentFolder, cell.Id), e.ToString());
                outcomes.Add(new(cell.Id, "failed", clock.Elapsed.TotalSeconds, e.Message));
            }
        }
        progress?.Report(ProgressUpdate.Of("grid", ordered.Count, ordered.Count));
        return outcomes;
    }
}
