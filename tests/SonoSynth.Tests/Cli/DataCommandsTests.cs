using System.Text.Json;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Cli;

/// <summary>The `sonosynth data` verbs as a user runs them (exit codes and the JSON that scripts read).</summary>
[Collection("Console output")]
public class DataCommandsTests
{
    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var result = InProcessCli.Run(args);
        return (result.ExitCode, result.Output);
    }

    [Fact]
    public void StatsOnTheRealCsvAloneReportsTheSplitAndTheLeak()
    {
        var (exitCode, output) = Run("data", "stats", "--csv", RealMetadata.CsvPath(), "--split", "random", "--seed", "1", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        var total = json.RootElement.GetProperty("total");
        Assert.Equal(12_400, total.GetProperty("images").GetInt32());
        Assert.Equal(9_922, total.GetProperty("train").GetInt32());
        Assert.Equal(2_478, total.GetProperty("test").GetInt32());
        Assert.Equal(1_792, json.RootElement.GetProperty("patients").GetInt32());
        Assert.True(json.RootElement.GetProperty("patients_on_both_sides").GetInt32() > 0);
    }

    [Fact]
    public void PhantomThenPrepareThenStatsOnTheFolder()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, Run("data", "phantom", "--out", folder.Path, "--per-class", "3", "--size", "32", "--seed", "2").ExitCode);
        var prepared = Run("data", "prepare", "--data", folder.Path, "--size", "16", "--json");
        Assert.Equal(0, prepared.ExitCode);
        using (var preparedJson = JsonDocument.Parse(prepared.Output)) // only the JSON document: no progress lines
            Assert.Equal(18, preparedJson.RootElement.GetProperty("images").GetInt32());
        var (exitCode, output) = Run("data", "stats", "--data", folder.Path, "--split", "official", "--json");
        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(18, json.RootElement.GetProperty("total").GetProperty("images").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("patients_on_both_sides").GetInt32());
    }

    [Fact]
    public void BadInputExitsWithTwo()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.PathOf("FETAL_PLANES_DB_data.csv"), "a,b,c\n");
        Assert.Equal(2, Run("data", "stats", "--data", folder.Path).ExitCode);
        Assert.Equal(2, Run("data", "stats", "--csv", folder.PathOf("FETAL_PLANES_DB_data.csv"), "--split", "kfold").ExitCode);
    }
}
