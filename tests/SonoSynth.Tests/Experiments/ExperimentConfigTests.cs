using SonoSynth.Data;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Experiments;
using SonoSynth.Training;

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
        Assert.Equal(SplitKind.Random, config.Data.Split);
        Assert.Equal(SyntheticGuidance.Classifier, config.Synthetic[0].Guidance);
        Assert.Equal(SamplerKind.Ddim, config.Synthetic[0].Sampler);
        Assert.Equal(TrainingRegime.PretrainFinetune, config.Classifiers.Runs[0].Regime);
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
    public void AnUnknownWordNamesTheFileTheKeyTheAllowedWordsAndTheLine()
    {
        var error = Assert.Throws<InputError>(() => ExperimentConfigLoader.Parse("""
            diffusion: { schedule: cosin }
            classifiers:
              runs:
                - { regime: pretrain-fine-tune, synthetic: round1 }
            synthetic:
              - { name: round1, guidance: classifier-free }
            """, "x.yaml"));
        Assert.StartsWith("x.yaml is not a valid experiment", error.Message);
        Assert.Contains("diffusion.schedule 'cosin' is not one of linear, cosine (line 1,", error.Message);
        Assert.Contains("regime 'pretrain-fine-tune' is not one of real-only, synthetic-only, pretrain-finetune, mixed, pretrain-lastlayer (line 4,", error.Message);
        Assert.Contains("guidance 'classifier-free' is not one of classifier, none, free (line 6,", error.Message);
    }

    [Fact]
    public void WordsAreWrittenBackAsTheConfigSpellsThem()
    {
        var config = ExperimentConfigLoader.Parse("""
            data: { split: official }
            synthetic:
              - { name: r1, sampler: ddim, guidance: none }
            classifiers:
              runs:
                - { regime: pretrain-lastlayer, synthetic: r1 }
            """);
        Assert.Equal("official", ConfigNames.Name(config.Data.Split));
        Assert.Equal("ddim", ConfigNames.Name(config.Synthetic[0].Sampler));
        Assert.Equal("none", ConfigNames.Name(config.Synthetic[0].Guidance));
        Assert.Equal("pretrain-lastlayer_r1", ExperimentLayout.RunKey(config.Classifiers.Runs[0]));
    }

    [Fact]
    public void JsonConfigsAreAccepted()
    {
        var config = ExperimentConfigLoader.Parse("""{"name": "j", "classifiers": {"epochs": 3, "seeds": [0, 1]}}""");
        Assert.Equal(3, config.Classifiers.Epochs);
        Assert.Equal([0, 1], config.Classifiers.Seeds);
    }
}
