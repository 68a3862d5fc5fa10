using SonoSynth.Experiments;
using SonoSynth.Training;

namespace SonoSynth.Tests.Experiments;

/// <summary>A paper config's report must set the paper's number beside each of its runs: the configs and the row matching agree.</summary>
public class PaperComparisonTests
{
    [Theory]
    [InlineData("table5.yaml")]
    [InlineData("table6.yaml")]
    [InlineData("table7.yaml")]
    [InlineData("table8.yaml")]
    [InlineData("table9.yaml")]
    public void EveryRunOfTheRegimeTablesHasItsPaperRow(string file)
    {
        var config = ExperimentConfigLoader.Load(Repository.PathOf("configs", "paper", file));
        var architecture = Assert.Single(config.Classifiers.Architectures);
        foreach (var run in config.Classifiers.Runs)
            Assert.True(PaperComparison.RegimeRow(architecture, run) is not null, $"{file}: no paper row for {run.Describe()}");
    }

    [Fact]
    public void RealImagesAugmentedOtherwiseThanSection42HaveNoPaperRow()
    {
        var run = new ClassifierRunSettings { Regime = TrainingRegime.RealOnly, Augment = "table12" };
        Assert.Null(PaperComparison.RegimeRow("resnet50", run));
        Assert.NotNull(PaperComparison.RegimeRow("resnet50", run with { Augment = "paper" }));
        Assert.NotNull(PaperComparison.RegimeRow("resnet50", run with { Augment = "none" }));
    }
}

/// <summary>data.generatorUsesValidation decides whether validation images shape the synthetic sets.</summary>
public class GeneratorRowsTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheGeneratorLearnsFromTheValidationShareOnlyWhenAsked(bool usesValidation)
    {
        var experiment = Directory.CreateTempSubdirectory("sonosynth-generator-rows").FullName;
        try
        {
            var settings = new DataSettings { PhantomPerClass = 12, PhantomImageSize = 32, ImageSize = 32, GeneratorUsesValidation = usesValidation };
            var cell = ExperimentLayout.CellFolder(experiment, ExperimentLayout.DataCell);
            Directory.CreateDirectory(cell);
            new SonoSynth.Experiments.Stages.DataStage(settings).Run(new CellContext(cell, experiment, null));
            using var data = ExperimentData.Load(experiment);
            var rows = data.RowsOf(StudyLevel.Full, settings);
            Assert.NotEmpty(data.ValidationRows);
            Assert.Equal(rows.Train, data.TrainRows);
            Assert.Equal(usesValidation, data.ValidationRows.All(rows.Generative.Contains));
            Assert.Equal(data.TrainRows.Count + (usesValidation ? data.ValidationRows.Count : 0), rows.Generative.Count);
        }
        finally
        {
            Directory.Delete(experiment, recursive: true);
        }
    }
}
