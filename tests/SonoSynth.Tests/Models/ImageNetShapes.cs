using System.Collections.Concurrent;
using SonoSynth.Models;

namespace SonoSynth.Tests.Models;

/// <summary>Each model built once at torchvision's ImageNet shape, reduced to its parameter count and state-dict shapes.</summary>
internal static class ImageNetShapes
{
    public sealed record Summary(long ParameterCount, IReadOnlyDictionary<string, long[]> StateDictShapes);

    private static readonly ConcurrentDictionary<string, Lazy<Summary>> Cache = new();

    public static Summary Of(string name) => Cache.GetOrAdd(name, n => new Lazy<Summary>(() =>
    {
        using var model = ClassifierRegistry.Create(n, ClassifierConfig.ImageNet);
        var shapes = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        return new Summary(ClassifierRegistry.CountParameters(model).Total, shapes);
    })).Value;
}
