using SonoSynth.Experiments;

namespace SonoSynth.Tests.Experiments;

/// <summary>The whole grid end to end at toy scale: every stage runs, a rerun recomputes nothing, the report has every table.</summary>
[Trait("Category", "Slow")]
public sealed class TinyExperimentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("sonosynth-tiny-experiment-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private const string Config = """
        name: tiny
        scale: toy scale for a test
        data: { source: phantom, phantomPerClass: 6, phantomSeed: 3, imageSize: 16, split: patient, validationFraction: 0.2 }
        diffusion: { preset: cpu-tiny, classifierPreset: cpu-tiny, trainSteps: 2, classifierSteps: 2, batchSize: 4, emaRate: 0.5 }
        synthetic:
          - { name: round1, perClass: 2, sampler: ddim, steps: ddim2, guidance: classifier, guidanceScale: 1.0 }
          - { name: round2, perClass: 2, round: 2, sampler: ddim, steps: ddim2, guidance: none }
        classifiers:
          architectures: [resnet50, resnet18]
          epochs: 1
          batchSize: 8
          seeds: [0, 1]
          runs:
            - { regime: real-only }
            - { regime: pretrain-finetune, synthetic: round1+round2 }
            - { regime: pretrain-lastlayer, synthetic: round1, pretrainAugment: table12 }
          ensembleRun: 1
          ensembleSizes: [2]
          comparisonMethods: true
        quality: { fid: true }
        """;

    [Fact]
    public void RunsEveryStageResumesWithoutRecomputingAndReportsEveryTable()
    {
        var config = ExperimentConfigLoader.Parse(Config);
        var cells = new ExperimentPlan(config).Cells();
        var first = new GridRunner(folder, cells).Run();
        Assert.All(first, o => Assert.True(o.Status == "ran", $"{o.Id}: {o.Status} {o.Error}"));
        Assert.Equal(1 + 2 + 2 + 2 + 2 * 3 * 2 + 1 + 2, first.Count); // data, U-Net + classifier, 2 sets, 2 quality, 12 runs, ensembles, 2 comparisons

        var second = new GridRunner(folder, cells).Run();
        Assert.All(second, o => Assert.Equal("done-before", o.Status));

        var html = new ExperimentReport(config, folder).Write();
        var markdown = File.ReadAllText(Path.Combine(Path.GetDirectoryName(html)!, "report.md"));
        foreach (var heading in new[] { "Data (Table 1 layout)", "Image quality (Table 3 layout)", "Table 7: ResNet50", "Table 10:", "Table 11:", "Table 14:" })
            Assert.Contains(heading, markdown);
        Assert.Contains("| Real data only |", markdown);
        Assert.Contains("| Pretraining (round1+round2) + fine-tuning |", markdown);
        Assert.Contains("resnet50 (2 seeds)", markdown);
        Assert.Contains("| Stacked ensemble (Krishna & Kokil 2024) |", markdown);
        Assert.Contains("| Deep feature integration (Krishna & Kokil 2023) |", markdown);
        Assert.DoesNotContain("src=\"confusion-", File.ReadAllText(html)); // figures are embedded, not linked
    }
}
