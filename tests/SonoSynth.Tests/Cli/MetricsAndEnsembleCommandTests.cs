using System.Text.Json;
using SonoSynth.Cli.Commands.Classify;
using SonoSynth.Metrics;
using SonoSynth.Tests.Metrics;
using SonoSynth.Tests.Training;

namespace SonoSynth.Tests.Cli;

[Collection("Console output")]
public class MetricsAndEnsembleCommandTests
{
    private static (int Code, string Output) Invoke(params string[] args)
    {
        var result = InProcessCli.Run([MetricsCommand.Create(), EnsembleCommand.Create()], args);
        return (result.ExitCode, result.Output);
    }

    private static string Write(TempFolder folder, string name, params int[] predicted)
    {
        // Four images of classes a, b, a, b; probabilities put 0.8 on the predicted class.
        int[] truth = [0, 1, 0, 1];
        var table = new PredictionTable(["a", "b"], predicted.Select((p, i) =>
            new PredictionRow($"x{i}.png", truth[i], p, p == 0 ? [0.8f, 0.2f] : [0.2f, 0.8f])).ToArray());
        var path = folder.PathOf(name);
        table.Write(path);
        return path;
    }

    [Fact]
    public void EnsembleThenMetricsGiveTheHandComputedVote()
    {
        using var folder = new TempFolder();
        var first = Write(folder, "m1.csv", 0, 1, 1, 1);   // 3/4 right
        var second = Write(folder, "m2.csv", 0, 0, 0, 1);  // 3/4 right
        var third = Write(folder, "m3.csv", 1, 1, 0, 0);   // 2/4 right
        var voted = folder.PathOf("vote.csv");
        // Votes per image: x0 a,a,b → a ✓; x1 b,a,b → b ✓; x2 b,a,a → a ✓; x3 b,b,a → b ✓.
        var (code, output) = Invoke("ensemble", "--predictions", first, second, third, "--out", voted, "--json");
        Assert.Equal(0, code);
        using (var json = JsonDocument.Parse(output))
            Assert.Equal(1.0, json.RootElement.GetProperty("ensembles")[0].GetProperty("accuracy").GetDouble());

        (code, output) = Invoke("metrics", "--predictions", third, "--compare", voted, "--json");
        Assert.Equal(0, code);
        using var metrics = JsonDocument.Parse(output);
        Assert.Equal(0.5, metrics.RootElement.GetProperty("accuracy").GetDouble());
        var mcnemar = metrics.RootElement.GetProperty("mcnemar");
        Assert.Equal(2, mcnemar.GetProperty("only_other_correct").GetInt32());
        Assert.Equal("exact binomial", mcnemar.GetProperty("method").GetString());
        Assert.Equal(0.5, mcnemar.GetProperty("p_value").GetDouble(), 12); // 2·P(X ≤ 0 | n=2) = 2·1/4
    }

    [Fact]
    public void MismatchedFilesExitWithCodeTwo()
    {
        using var folder = new TempFolder();
        var first = Write(folder, "m1.csv", 0, 1, 1, 1);
        var other = folder.PathOf("other.csv");
        new PredictionTable(["a", "b"], [new PredictionRow("y.png", 0, 0, [1f, 0f])]).Write(other);
        Assert.Equal(2, Invoke("ensemble", "--predictions", first, other, "--json").Code);
        Assert.Equal(2, Invoke("metrics", "--predictions", folder.PathOf("missing.csv")).Code);
    }
}
