using SonoSynth.Models;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

/// <summary>timm-style checks over every registered model at this project's shape (1 x 128 x 128, 6 classes).</summary>
public class RegisteredModelTests
{
    public static TheoryData<string> AllNames() => [.. ClassifierRegistry.Names];

    [Theory]
    [MemberData(nameof(AllNames))]
    public void ForwardGivesFiniteLogitsAndBackwardReachesEveryParameter(string name)
    {
        manual_seed(1);
        using var model = ClassifierRegistry.Create(name, new ClassifierConfig(1, 6, 128));
        using var scope = NewDisposeScope();
        var input = rand(2, 1, 128, 128);
        var logits = model.call(input);
        Assert.Equal(new long[] { 2, 6 }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>() || logits.isinf().any().item<bool>());

        // A non-trivial loss: the zero-initialised ViT head still passes gradients to its own weights.
        nn.functional.cross_entropy(logits, tensor(new long[] { 0, 5 })).backward();
        var missing = model.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name).ToList();
        Assert.True(missing.Count == 0, $"{name}: no gradient for {string.Join(", ", missing.Take(5))}");
        var features = model.ForwardFeatures(input);
        Assert.Equal(new long[] { 2, model.FeatureCount }, features.shape);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void ReplaceHeadChangesOnlyTheHead(string name)
    {
        manual_seed(2);
        using var model = ClassifierRegistry.Create(name, new ClassifierConfig(1, 6, 64));
        var before = model.state_dict().Where(kv => !kv.Key.StartsWith(model.HeadName + "."))
            .ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        model.ReplaceHead(4);

        model.eval();
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 3, 4 }, model.call(rand(3, 1, 64, 64)).shape);
        var after = model.state_dict();
        Assert.Equal(before.Count + model.HeadParameters().Count(), after.Count);
        foreach (var (key, value) in before)
            Assert.True(value.equal(after[key]).all().item<bool>(), $"{name}: '{key}' changed");
        Assert.All(model.HeadParameters(), p => Assert.Equal(4, p.shape[0]));
        Assert.Equal(4, model.Options.NumClasses);
    }
}
