using TorchSharp;

namespace SonoSynth.Data;

/// <summary>
/// Training and test rows of a data set, with the facts a reader of results needs: per-class counts and how many
/// patients have images on both sides (a leak that inflates test accuracy). Deterministic for a seed; randomness
/// comes only from a seeded torch <see cref="torch.Generator"/>.
/// </summary>
public sealed class DataSplit
{
    public const double DefaultTrainFraction = 0.8;

    private DataSplit(SplitKind kind, int seed, int[] train, int[] test, int[] trainPerClass, int[] testPerClass,
        int patientsOnBothSides, int patientCount)
    {
        Kind = kind;
        Seed = seed;
        TrainIndices = train;
        TestIndices = test;
        TrainCountPerClass = trainPerClass;
        TestCountPerClass = testPerClass;
        PatientsOnBothSides = patientsOnBothSides;
        PatientCount = patientCount;
    }

    public SplitKind Kind { get; }
    public int Seed { get; }
    /// <summary>Row indices, ascending.</summary>
    public IReadOnlyList<int> TrainIndices { get; }
    /// <summary>Row indices, ascending.</summary>
    public IReadOnlyList<int> TestIndices { get; }
    public IReadOnlyList<int> TrainCountPerClass { get; }
    public IReadOnlyList<int> TestCountPerClass { get; }
    /// <summary>Patients with images in both training and test sets (0 for the patient split by construction).</summary>
    public int PatientsOnBothSides { get; }
    public int PatientCount { get; }

    /// <summary>
    /// Splits rows with class <paramref name="labels"/> (0..classCount-1) and <paramref name="patientIds"/>.
    /// <paramref name="officialTrain"/> is needed only for <see cref="SplitKind.Official"/>.
    /// </summary>
    public static DataSplit Create(SplitKind kind, IReadOnlyList<int> labels, int classCount, IReadOnlyList<int> patientIds,
        IReadOnlyList<bool>? officialTrain, int seed = 0, double trainFraction = DefaultTrainFraction)
    {
        if (patientIds.Count != labels.Count)
            throw new ArgumentException($"{labels.Count} labels but {patientIds.Count} patient ids.");
        if (trainFraction <= 0 || trainFraction >= 1)
            throw new InputError($"Training fraction {trainFraction} must lie strictly between 0 and 1 (the paper uses 0.8).");
        var isTrain = kind switch
        {
            SplitKind.Random => StratifiedRandom(labels, classCount, seed, trainFraction),
            SplitKind.Patient => GroupedByPatient(patientIds, seed, trainFraction),
            SplitKind.Official => officialTrain is null
                ? throw new InputError("The official split needs the CSV's Train column; this data set has none (a class-folder tree). " +
                    "Use --split random or --split patient.")
                : officialTrain.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var train = new List<int>();
        var test = new List<int>();
        var trainPerClass = new int[classCount];
        var testPerClass = new int[classCount];
        for (int i = 0; i < labels.Count; i++)
        {
            if (isTrain[i]) { train.Add(i); trainPerClass[labels[i]]++; }
            else { test.Add(i); testPerClass[labels[i]]++; }
        }
        var trainPatients = train.Select(i => patientIds[i]).ToHashSet();
        int leaked = test.Select(i => patientIds[i]).Distinct().Count(trainPatients.Contains);
        return new DataSplit(kind, seed, train.ToArray(), test.ToArray(), trainPerClass, testPerClass, leaked,
            patientIds.Distinct().Count());
    }

    /// <summary>
    /// Per class: shuffle with the seed and put ceil(f·n) rows into training. On FETAL_PLANES_DB this gives 9922/2478.
    /// The paper's Table 1 reports 9923/2477: every class matches ceil(0.8·n) except femur, where the paper has
    /// 833/207 and this rule 832/208 (0.8·1040 = 832 exactly); the paper's own rounding is not stated.
    /// </summary>
    private static bool[] StratifiedRandom(IReadOnlyList<int> labels, int classCount, int seed, double trainFraction)
    {
        var isTrain = new bool[labels.Count];
        using var generator = new torch.Generator((ulong)seed);
        for (int c = 0; c < classCount; c++)
        {
            var rows = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
            int trainCount = CeilingCount(rows.Length, trainFraction);
            foreach (var position in Permutation(rows.Length, generator).Take(trainCount))
                isTrain[rows[position]] = true;
        }
        return isTrain;
    }

    /// <summary>
    /// Shuffles patients with the seed and fills training, patient by patient, while that brings its image count
    /// closer to f·N; the remaining patients form the test set. No patient lands on both sides.
    /// </summary>
    private static bool[] GroupedByPatient(IReadOnlyList<int> patientIds, int seed, double trainFraction)
    {
        var rowsByPatient = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < patientIds.Count; i++)
        {
            if (!rowsByPatient.TryGetValue(patientIds[i], out var rows)) rowsByPatient[patientIds[i]] = rows = [];
            rows.Add(i);
        }
        var patients = rowsByPatient.Keys.ToArray();
        using var generator = new torch.Generator((ulong)seed);
        double target = trainFraction * patientIds.Count;
        var isTrain = new bool[patientIds.Count];
        int trainImages = 0;
        foreach (var position in Permutation(patients.Length, generator))
        {
            var rows = rowsByPatient[patients[position]];
            if (Math.Abs(trainImages + rows.Count - target) > Math.Abs(trainImages - target)) continue;
            foreach (var row in rows) isTrain[row] = true;
            trainImages += rows.Count;
        }
        return isTrain;
    }

    internal static int CeilingCount(int count, double fraction) =>
        (int)Math.Ceiling(Math.Round(count * fraction, 9)); // round first: 0.8·1040 must be 832, not 832.0000000001

    internal static long[] Permutation(int count, torch.Generator generator)
    {
        if (count == 0) return [];
        using var permutation = torch.randperm(count, generator: generator);
        return permutation.data<long>().ToArray();
    }
}
