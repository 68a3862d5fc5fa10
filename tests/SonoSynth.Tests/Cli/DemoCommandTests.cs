using SonoSynth.Cli.Commands;
using SonoSynth.Experiments;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Cli;

/// <summary>
/// `sonosynth demo`: it runs configs/demo.yaml as embedded in the tool, writes the report and resumes. The demo's own
/// size takes minutes, so the verb's plumbing runs here on a smaller config through its test hook.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class DemoCommandTests
{
    [Fact]
    public void TheToolEmbedsConfigsDemoYaml()
    {
        Assert.Equal(File.ReadAllText(Repository.PathOf("configs", "demo.yaml")), DemoCommand.DemoConfigText());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void DemoRunsItsConfigWritesTheReportAndResumes()
    {
        using var folder = new TempFolder();
        var output = folder.PathOf("demo");
        var demo = () => DemoCommand.Create(() => ExperimentCommandsTests.TinyConfig);

        var first = InProcessCli.Run(demo(), "demo", "--out", output, "--threads", "2");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("SonoSynth demo: a test's toy scale", first.Unwrapped);
        Assert.True(File.Exists(Path.Combine(output, "report", "report.html")));
        Assert.Contains("| Real data only |", File.ReadAllText(Path.Combine(output, "report", "report.md")));
        Assert.Equal(ExperimentCommandsTests.TinyConfig, File.ReadAllText(Path.Combine(output, "config.yaml")));

        // Run again: it resumes, and every cell was finished.
        var stamps = ExperimentCommandsTests.CellIds.Select(id => File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(output, id))).ToList();
        var second = InProcessCli.Run(demo(), "demo", "--out", output, "--threads", "2");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(stamps, ExperimentCommandsTests.CellIds.Select(id => File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(output, id))));
    }
}
