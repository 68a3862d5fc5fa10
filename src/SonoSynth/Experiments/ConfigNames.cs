using SonoSynth.Data;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Training;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace SonoSynth.Experiments;

/// <summary>
/// How the config spells its enums ("real-only", "ddim", "classifier", ...): read once, when the YAML is loaded, and
/// written back in reports and cell ids. Each enum belongs to exactly one key, so an unknown word names that key.
/// </summary>
public static class ConfigNames
{
    private sealed record Spelling(string Key, IReadOnlyList<string> Names);

    // Names in enum order; the regimes keep the CLI's spellings.
    private static readonly Dictionary<Type, Spelling> Spellings = new()
    {
        [typeof(SplitKind)] = new("data.split", Lower<SplitKind>()),
        [typeof(NoiseScheduleKind)] = new("diffusion.schedule", Lower<NoiseScheduleKind>()),
        [typeof(SamplerKind)] = new("synthetic: sampler", Lower<SamplerKind>()),
        [typeof(SyntheticGuidance)] = new("synthetic: guidance", Lower<SyntheticGuidance>()),
        [typeof(TrainingRegime)] = new("classifiers.runs: regime", TrainingRegimes.Names),
    };

    private static string[] Lower<T>() where T : struct, Enum => [.. Enum.GetNames<T>().Select(n => n.ToLowerInvariant())];

    /// <summary>The config's word for <paramref name="value"/>, e.g. "pretrain-finetune" or "ddim".</summary>
    public static string Name<T>(T value) where T : struct, Enum => Spellings[typeof(T)].Names[Convert.ToInt32(value)];

    /// <summary>
    /// Reads the config's enums from their words. An unknown word becomes a problem (key, word, allowed words, line)
    /// and the enum's first value, so the loader can list it with every other problem of the file.
    /// </summary>
    internal sealed class YamlConverter(List<string> problems) : IYamlTypeConverter
    {
        public bool Accepts(Type type) => Spellings.ContainsKey(type);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            var scalar = parser.Consume<Scalar>();
            var spelling = Spellings[type];
            int index = spelling.Names.ToList().IndexOf(scalar.Value);
            if (index >= 0) return Enum.ToObject(type, index);
            problems.Add($"{spelling.Key} '{scalar.Value}' is not one of {string.Join(", ", spelling.Names)} " +
                $"(line {scalar.Start.Line}, column {scalar.Start.Column}).");
            return Enum.ToObject(type, 0);
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(Spellings[type].Names[Convert.ToInt32(value)]));
    }
}
