using System.Globalization;
using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Data.Phantom;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Diffusion.Training;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Cli;

/// <summary>`sonosynth diffusion info | train-classifier`: the numbers they print and the files they leave.</summary>
[Collection(ConsoleCollection.Name)]
public class DiffusionCommandsTests
{
    [Theory]
    // guided-diffusion's 128x128 class-conditional ImageNet model (the README's example) and its 128 px classifier.
    [InlineData(421_529_606L, "--preset", "adm128", "--in-channels", "3", "--class-cond", "--learn-sigma")]
    [InlineData(42_568_040L, "--classifier", "--preset", "classifier128", "--in-channels", "3")]
    public void InfoPrintsGuidedDiffusionsParameterCounts(long parameters, params string[] args)
    {
        var result = InProcessCli.Run(["diffusion", "info", .. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(parameters, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("config").GetProperty("in_channels").GetInt32());

        var table = InProcessCli.Run(["diffusion", "info", .. args]);
        Assert.Contains(parameters.ToString("N0", CultureInfo.CurrentCulture), table.Output);
        Assert.Equal(2, InProcessCli.Run("diffusion", "info", "--preset", "adm1024").ExitCode); // no such preset: bad input
    }

    [Fact]
    public void TrainClassifierLeavesTheCheckpointThatScoresWhatItReports()
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("phantom");
        PhantomGenerator.Write(data, new PhantomOptions(PerClass: 2, ImageSize: 32, ImagesPerPatient: 1, Seed: 4));
        var output = folder.PathOf("classifier");
        var result = InProcessCli.Run("diffusion", "train-classifier", "--data", data, "--out", output, "--preset", "cpu-tiny",
            "--steps", "3", "--batch-size", "4", "--bands", "2", "--seed", "6", "--threads", "2", "--json");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(3, json.RootElement.GetProperty("step").GetInt64());

        // loss.csv: one row per step. accuracy_by_t.csv: two bands of [0, 1000).
        Assert.Equal(["step,loss,accuracy", "1", "2", "3"], File.ReadLines(Path.Combine(output, "loss.csv")).Select((l, i) => i == 0 ? l : l.Split(',')[0]));
        var bands = File.ReadLines(Path.Combine(output, "accuracy_by_t.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal([("0", "500"), ("500", "1000")], bands.Select(b => (b[0], b[1])));

        // The checkpoint is that classifier: trained 3 steps on the phantom's six planes, and scoring the same per band.
        var (model, header) = NoiseClassifierTrainer.Load(Path.Combine(output, "checkpoint.bin"));
        using (model)
        using (var dataset = DataSources.Open(data, header.Config.ImageSize, skipBad: false))
        {
            Assert.Equal(3, header.Step);
            Assert.Equal(PlaneClasses.Names, header.ClassNames);
            var options = header.Options;
            var again = NoiseClassifierTrainer.EvaluateByBand(model, dataset.Images, NoiseSchedule.Create(options.Schedule, options.DiffusionSteps),
                options.TimestepBands, options.EvaluationImagesPerBand, options.Seed + 2);
            Assert.Equal(bands.Select(b => double.Parse(b[3], CultureInfo.InvariantCulture)), again.Select(b => b.Accuracy));
            Assert.Equal(bands.Select(b => int.Parse(b[2], CultureInfo.InvariantCulture)), again.Select(b => b.Images));
        }

        // A second run into the finished folder without --resume is refused; with --resume it continues the count.
        Assert.Equal(2, InProcessCli.Run("diffusion", "train-classifier", "--data", data, "--out", output, "--steps", "3").ExitCode);
        var resumed = InProcessCli.Run("diffusion", "train-classifier", "--data", data, "--out", output, "--preset", "cpu-tiny",
            "--steps", "5", "--batch-size", "4", "--bands", "2", "--seed", "6", "--threads", "2", "--resume", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Equal(["1", "2", "3", "4", "5"], File.ReadLines(Path.Combine(output, "loss.csv")).Skip(1).Select(l => l.Split(',')[0]));
    }
}
