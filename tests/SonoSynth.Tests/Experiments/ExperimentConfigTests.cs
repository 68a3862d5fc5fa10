using SonoSynth.Experiments;

namespace SonoSynth.Tests.Experiments;

public class ExperimentConfigTests
{
    [Fact]
    public void ReadsYamlWithDefaultsForWhatItDoesNotSay()
    {
        var config = ExperimentConfigLoader.Parse("""
            name: t
            data: { source: phantom, imageSize: 32 }
            synthetic:
              - { name: round1, perClass: 10, sampler: ddim, steps: ddim10 }
            classifiers:
              architectures: [resnet50]
              runs:
                - { regime: pretrain-finetune, synthetic: round1 }
            """);
        Assert.Equal(32, config.Data.ImageSize);
        Assert.Equal("random", config.Data.Split);
        Assert.Equal("classifier", config.Synthetic[0].Guidance);
        Assert.Equal(1e-4, config.Classifiers.LearningRate);
    }

    [Fact]
    public void AnUnknownKeyNamesItsLine()
    {
        var error = Assert.Throws<InputError>(() => ExperimentConfigLoader.Parse("name: t\ndata:\n  imageSise: 32\n", "x.yaml"));
        Assert.Contains("x.yaml, line 3", error.Message);
        Assert.Contains("imageSise", error.Message);
    }

    [Fact]
    public void EveryProblemIsListedWithWhatIsAllowed()
    {
        var error = Assert.Throws<InputError>(() => ExperimentConfigLoader.Parse("""
            data: { split: patients }
            synthetic:
              - { name: r1, sampler: euler, guidance: free }
            classifiers:
              runs:
                - { regime: pretrain-finetune, synthetic: round9 }
                - { regime: real-only }
            """));
        Assert.Contains("data.split 'patients' is not one of random, patient, official", error.Message);
        Assert.Contains("sampler 'euler'", error.Message);
        Assert.Contains("classifier-free guidance needs", error.Message);
        Assert.Contains("synthetic set 'round9' is not defined", error.Message);
        Assert.DoesNotContain("runs[1]", error.Message);
    }

    [Fact]
    public void JsonConfigsAreAccepted()
    {
        var config = ExperimentConfigLoader.Parse("""{"name": "j", "classifiers": {"epochs": 3, "seeds": [0, 1]}}""");
        Assert.Equal(3, config.Classifiers.Epochs);
        Assert.Equal([0, 1], config.Classifiers.Seeds);
    }
}
