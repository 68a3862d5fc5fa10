using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Console;

/// <summary>
/// Draws library progress (<see cref="ProgressUpdate"/>) as Spectre progress bars with ETA, one bar per stage.
/// Where the terminal is not interactive (CI, a log file) it prints a line every few seconds instead.
/// </summary>
public static class ProgressDisplay
{
    public static T Run<T>(Func<IProgress<ProgressUpdate>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return work(new PlainProgress());
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(),
                new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var sink = new SynchronousProgress(update =>
                {
                    if (!tasks.TryGetValue(update.Stage, out var task))
                        tasks[update.Stage] = task = context.AddTask(Markup.Escape(update.Stage), maxValue: Math.Max(1, update.Total));
                    task.MaxValue = Math.Max(1, update.Total);
                    task.Value = update.Done;
                    task.Description = Markup.Escape(Describe(update));
                });
                result = work(sink);
            });
        return result;
    }

    public static void Run(Action<IProgress<ProgressUpdate>> work) => Run<int>(p => { work(p); return 0; });

    internal static string Describe(ProgressUpdate update)
    {
        if (update.Metrics is null || update.Metrics.Count == 0) return update.Stage;
        var metrics = string.Join(" ", update.Metrics.Select(m => $"{m.Key}={Format(m.Value)}"));
        return $"{update.Stage} {metrics}";
    }

    private static string Format(double value) => Math.Abs(value) >= 100 ? value.ToString("F0") :
        Math.Abs(value) >= 1 ? value.ToString("F2") : value.ToString("G3");

    /// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to a thread pool and reorder).</summary>
    private sealed class SynchronousProgress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onReport(value);
    }

    /// <summary>Non-interactive output: one line per stage every 5 s, and at the end of each stage.</summary>
    private sealed class PlainProgress : IProgress<ProgressUpdate>
    {
        private readonly Dictionary<string, (DateTime Started, DateTime LastPrinted)> stages = new();

        public void Report(ProgressUpdate update)
        {
            var now = DateTime.UtcNow;
            if (!stages.TryGetValue(update.Stage, out var times)) times = (now, DateTime.MinValue);
            bool finished = update.Done >= update.Total;
            if (finished || (now - times.LastPrinted).TotalSeconds >= 5)
            {
                var elapsed = now - times.Started;
                var eta = update.Done > 0 && !finished
                    ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (update.Total - update.Done) / update.Done) : TimeSpan.Zero;
                System.Console.WriteLine($"[{update.Done}/{update.Total}] {Describe(update)} elapsed {elapsed:hh\\:mm\\:ss} eta {eta:hh\\:mm\\:ss}");
                times.LastPrinted = now;
            }
            stages[update.Stage] = times;
        }
    }
}
