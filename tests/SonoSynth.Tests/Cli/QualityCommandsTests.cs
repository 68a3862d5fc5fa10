using System.Text.Json;
using SonoSynth.Quality.Features;
using SonoSynth.Quality;
using SonoSynth.Tests.Quality;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public class QualityCommandsTests
{
    private static (int ExitCode, string Output) RunCli(params string[] args)
    {
        var result = InProcessCli.Run(args);
        return (result.ExitCode, result.Output);
    }

    [Fact]
    public void FidJsonNamesMetricAndExtractor()
    {
        using var folder = new TempFolder();
        // 1-d Gaussians: N(0, 1) and N(3, 4) → FID = 3² + 1 + 4 − 2·√4 = 10.
        using var a = new FeatureStatistics(tensor(new double[] { 0 }), tensor(new double[] { 1 }).reshape(1, 1), 0);
        using var b = new FeatureStatistics(tensor(new double[] { 3 }), tensor(new double[] { 4 }).reshape(1, 1), 0);
        StatisticsFile.Write(folder.PathOf("a.npz"), a, FidInceptionWeights.ExtractorId);
        StatisticsFile.Write(folder.PathOf("b.npz"), b, FidInceptionWeights.ExtractorId);

        var (exitCode, output) = RunCli("fid", folder.PathOf("a.npz"), folder.PathOf("b.npz"), "--json");

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fid", json.RootElement.GetProperty("metric").GetString());
        Assert.Equal(FidInceptionWeights.ExtractorId, json.RootElement.GetProperty("extractor").GetString());
        Assert.Equal(10, json.RootElement.GetProperty("overall").GetProperty("frechet_distance").GetDouble(), 1e-9);
    }

    [Fact]
    public void MissingInputIsAnInputErrorWithExitCode2()
    {
        var (exitCode, _) = RunCli("fid", "/nonexistent/a", "/nonexistent/b", "--json");
        Assert.Equal(2, exitCode);
    }
}
