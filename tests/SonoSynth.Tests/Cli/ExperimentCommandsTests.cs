using SonoSynth.Experiments;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Cli;

/// <summary>
/// `sonosynth experiment validate | run | report` and `sonosynth demo` as a user runs them. The grid itself, with
/// every stage, is Experiments/TinyExperimentTests; kills of `experiment run` are Reliability/KillAndResumeTests.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class ExperimentCommandsTests
{
    /// <summary>Data and two classifier cells: the smallest grid that runs every part of the verbs.</summary>
    public const string TinyConfig = """
        name: cli-tiny
        scale: a test's toy scale
        data: { source: phantom, phantomPerClass: 5, phantomSeed: 2, imageSize: 16, split: patient, validationFraction: 0.2 }
        quality: { fid: false }
        classifiers:
          architectures: [resnet18]
          epochs: 1
          batchSize: 8
          seeds: [0, 1]
          runs:
            - { regime: real-only }
        """;

    public static readonly string[] CellIds = ["data", "classify/resnet18/real-only/seed0", "classify/resnet18/real-only/seed1"];

    /// <summary>Every config in configs/ (found when the tests start, so a new config is covered without a new test).</summary>
    public static TheoryData<string> ShippedConfigs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Repository.PathOf("configs"), "*", SearchOption.AllDirectories)
                     .Where(p => Path.GetExtension(p) is ".yaml" or ".yml" or ".json").Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Repository.Root, path));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void EveryShippedConfigIsValidAndListsItsCells(string config)
    {
        var result = InProcessCli.Run("experiment", "validate", Repository.PathOf(config));
        Assert.True(result.ExitCode == 0, $"{config}:\n{result.All}");
        Assert.Contains("valid", result.Output);
        Assert.Contains("data", result.Output); // every grid starts with its data cell
    }

    [Fact]
    public void TheConfigsTheDocsNameAreAmongThoseValidated()
    {
        var configs = ((IEnumerable<object[]>)ShippedConfigs()).Select(row => (string)row[0]).ToList();
        string[] tables = ["table4", "table5", "table6", "table7", "table8", "table9", "table10-11", "table12", "table13", "table14"];
        string[] documented = [Path.Combine("configs", "demo.yaml"), .. tables.SelectMany(t => new[] { Path.Combine("configs", "cpu", t + ".yaml"),
            Path.Combine("configs", "paper", t + ".yaml") })];
        Assert.Empty(documented.Except(configs)); // configs/README.md names these
        Assert.All(configs, c => Assert.True(File.Exists(Repository.PathOf(c))));
    }

    [Fact]
    public void ValidateNamesWhatIsWrong()
    {
        using var folder = new TempFolder();
        var config = folder.PathOf("bad.yaml");
        File.WriteAllText(config, TinyConfig.Replace("[resnet18]", "[resnet19]"));
        var result = InProcessCli.Run("experiment", "validate", config);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("resnet19", result.Unwrapped);
        Assert.Contains(config, result.Unwrapped);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void RunFinishesEveryCellResumesWithoutRecomputingAndReportRewritesTheReport()
    {
        using var folder = new TempFolder();
        var config = folder.PathOf("tiny.yaml");
        File.WriteAllText(config, TinyConfig);
        var output = folder.PathOf("experiment");

        var first = InProcessCli.Run("experiment", "run", config, "--out", output, "--threads", "2");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.All(CellIds, id => Assert.True(File.Exists(ExperimentLayout.DoneMarker(output, id)), $"{id} has no done.json"));
        Assert.Equal(TinyConfig, File.ReadAllText(Path.Combine(output, "config.yaml")));
        var markdown = Path.Combine(output, "report", "report.md");
        var report = File.ReadAllText(markdown);
        Assert.Contains("a test's toy scale", report);
        Assert.Contains("## resnet18: training and test accuracy", report);
        Assert.Contains("| Real data only |", report);
        Assert.True(File.Exists(Path.Combine(output, "report", "report.html")));

        var stamps = CellIds.Select(id => File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(output, id))).ToList();
        var second = InProcessCli.Run("experiment", "run", config, "--out", output, "--threads", "2");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal(stamps, CellIds.Select(id => File.GetLastWriteTimeUtc(ExperimentLayout.DoneMarker(output, id)))); // nothing recomputed

        File.Delete(markdown);
        var rewritten = InProcessCli.Run("experiment", "report", output);
        Assert.True(rewritten.ExitCode == 0, rewritten.All);
        // The same tables; only run's line about its own invocation (device, time) is not repeated.
        var again = File.ReadAllText(markdown);
        Assert.Contains("| Real data only |", again);
        Assert.Equal(report.Split('\n').Where(l => l.StartsWith('|')), again.Split('\n').Where(l => l.StartsWith('|')));

        // Another config into the same folder would mix two experiments: refused.
        File.WriteAllText(config, TinyConfig.Replace("epochs: 1", "epochs: 2"));
        var mixed = InProcessCli.Run("experiment", "run", config, "--out", output);
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains("different config", mixed.Unwrapped);
        Assert.Equal(2, InProcessCli.Run("experiment", "report", folder.Path).ExitCode); // not an experiment folder
    }
}
