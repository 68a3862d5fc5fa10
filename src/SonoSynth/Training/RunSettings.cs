using System.Globalization;
using SonoSynth.Data;

namespace SonoSynth.Training;

/// <summary>
/// What a <c>classify train</c> run was started with: its <c>train-settings.json</c>, read and written only by
/// <see cref="RunFolder"/>. On disk every value is a string under a snake_case key, in the order of
/// <see cref="Entries"/>, as since the first version, so old run folders load and resume unchanged.
/// </summary>
/// <param name="Data">Full path of the real data.</param>
/// <param name="Synthetic">Full path of the synthetic images; null for real-only (written as "").</param>
/// <param name="Augment">The <c>--augment</c> text as given (e.g. "paper", "rotate,hflip").</param>
/// <param name="SplitSeed">Null in runs written before <c>--split-seed</c> existed: their split used <see cref="Seed"/>.</param>
/// <param name="InitFrom">Full path of the <c>--init-from</c> state dict; absent from the file when not given.</param>
public sealed record RunSettings(
    string Architecture, string Data, string? Synthetic, TrainingRegime Regime,
    int Epochs, int PretrainEpochs, int BatchSize, double LearningRate, string Augment, string PretrainAugment,
    SplitKind Split, double TestFraction, double ValidationFraction, int ImageSize, long Seed, int? SplitSeed,
    string? InitFrom = null)
{
    /// <summary>The keys that decide which real images a run trains and is tested on.</summary>
    public static IReadOnlyList<string> DataAndSplitKeys { get; } = ["data", "split", "split_seed", "test_fraction", "val_fraction", "image_size"];

    // What a model exported from a run records of where it came from (ModelBundle's provenance details).
    private static readonly string[] ProvenanceKeys = ["regime", "seed", "data", "synthetic", "epochs", "split", "init_from"];

    /// <summary>The seed the train/test/validation split was drawn with.</summary>
    public int EffectiveSplitSeed => SplitSeed ?? (int)Seed;

    /// <summary>The file's key/value pairs, in file order. Numbers use the invariant culture and round-trip ("R").</summary>
    public IReadOnlyDictionary<string, string> Entries
    {
        get
        {
            var entries = new Dictionary<string, string>
            {
                ["arch"] = Architecture, ["data"] = Data, ["synthetic"] = Synthetic ?? "", ["regime"] = Regime.Name(),
                ["epochs"] = Format(Epochs), ["pretrain_epochs"] = Format(PretrainEpochs), ["batch_size"] = Format(BatchSize),
                ["lr"] = Format(LearningRate), ["augment"] = Augment, ["pretrain_augment"] = PretrainAugment, ["split"] = Split.ToString(),
                ["test_fraction"] = Format(TestFraction), ["val_fraction"] = Format(ValidationFraction), ["image_size"] = Format(ImageSize),
                ["seed"] = Format(Seed),
            };
            if (SplitSeed is int splitSeed) entries["split_seed"] = Format(splitSeed);
            // Only when given, so runs started before --init-from existed still resume.
            if (InitFrom is not null) entries["init_from"] = InitFrom;
            return entries;
        }
    }

    /// <summary>The file value of <paramref name="key"/>, or null when this run's file has no such key.</summary>
    public string? ValueOf(string key) => Entries.TryGetValue(key, out var value) ? value : null;

    /// <summary>Keys of these settings whose value <paramref name="previous"/> lacks or holds differently (file order).</summary>
    public IReadOnlyList<string> ChangedFrom(RunSettings previous)
    {
        var before = previous.Entries;
        return Entries.Where(e => !before.TryGetValue(e.Key, out var value) || value != e.Value).Select(e => e.Key).ToList();
    }

    /// <summary>Where a model trained by this run came from, for an exported bundle's provenance.</summary>
    public IReadOnlyDictionary<string, string> Provenance() =>
        Entries.Where(e => ProvenanceKeys.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);

    /// <summary>Parses the file's pairs; <paramref name="source"/> names the file in errors.</summary>
    public static RunSettings FromEntries(IReadOnlyDictionary<string, string> entries, string source)
    {
        string Text(string key) => entries.TryGetValue(key, out var value) ? value
            : throw new InputError($"'{source}' has no '{key}'; it was not written by 'classify train'.");
        T Number<T>(string key) where T : IParsable<T> => T.TryParse(Text(key), CultureInfo.InvariantCulture, out var value) ? value
            : throw new InputError($"'{source}': {key} '{Text(key)}' is not a number.");
        TrainingRegime regime;
        SplitKind split;
        try { (regime, split) = (TrainingRegimes.Parse(Text("regime")), SplitKinds.Parse(Text("split"))); }
        catch (Exception e) when (e is ArgumentException or InputError) { throw new InputError($"'{source}': {e.Message}", e); }
        return new RunSettings(Text("arch"), Text("data"), Text("synthetic") is "" ? null : Text("synthetic"), regime,
            Number<int>("epochs"), Number<int>("pretrain_epochs"), Number<int>("batch_size"), Number<double>("lr"),
            Text("augment"), Text("pretrain_augment"), split, Number<double>("test_fraction"),
            Number<double>("val_fraction"), Number<int>("image_size"), Number<long>("seed"),
            entries.ContainsKey("split_seed") ? Number<int>("split_seed") : null, entries.GetValueOrDefault("init_from"));
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
