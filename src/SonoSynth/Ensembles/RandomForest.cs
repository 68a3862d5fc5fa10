using static TorchSharp.torch;

namespace SonoSynth.Ensembles;

/// <summary>
/// Random-forest settings. Defaults follow scikit-learn's RandomForestClassifier (100 trees, Gini, √F features
/// per split, bootstrap samples, grown until pure) except that each feature is first cut into at most
/// <see cref="Bins"/> quantile bins and splits are searched on bin edges (as histogram-based forests do),
/// which keeps 2048-wide deep features tractable on a CPU.
/// </summary>
public sealed record RandomForestOptions(int Trees = 100, int? FeaturesPerSplit = null, int MaxDepth = 32, int MinSamplesLeaf = 1,
    int Bins = 32, long Seed = 0);

/// <summary>A random forest classifier on dense float features; probabilities are the mean of the trees' leaf class frequencies.</summary>
public sealed class RandomForest
{
    private readonly List<Tree> trees;
    private readonly float[][] binEdges; // per feature, ascending thresholds: bin b means value <= edges[b] (last bin: above all)

    private RandomForest(List<Tree> trees, float[][] binEdges, int classCount)
    {
        this.trees = trees;
        this.binEdges = binEdges;
        ClassCount = classCount;
    }

    public int ClassCount { get; }
    public int FeatureCount => binEdges.Length;

    public static RandomForest Fit(float[][] features, IReadOnlyList<int> labels, int classCount, RandomForestOptions options)
    {
        int n = features.Length;
        if (n == 0 || labels.Count != n) throw new ArgumentException($"{n} feature rows but {labels.Count} labels.");
        int f = features[0].Length;
        var edges = new float[f][];
        var binned = new byte[n * f];
        var column = new float[n];
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++) column[i] = features[i][j];
            edges[j] = QuantileEdges(column, options.Bins);
            for (int i = 0; i < n; i++) binned[i * f + j] = Bin(edges[j], column[i]);
        }
        int featuresPerSplit = Math.Clamp(options.FeaturesPerSplit ?? (int)Math.Max(1, Math.Sqrt(f)), 1, f);
        // One seeded torch draw gives each tree its own stream, so a forest is reproducible and trees are independent.
        long[] treeSeeds;
        using (var generator = new Generator((ulong)options.Seed))
        using (var draws = randint(0, int.MaxValue, [options.Trees], generator: generator, dtype: ScalarType.Int64))
            treeSeeds = draws.data<long>().ToArray();
        var labelArray = labels.ToArray();
        var trees = new Tree[options.Trees];
        Parallel.For(0, options.Trees, t =>
        {
            var random = new Random((int)treeSeeds[t]);
            var sample = new int[n];
            for (int i = 0; i < n; i++) sample[i] = random.Next(n);
            trees[t] = Tree.Grow(binned, f, labelArray, classCount, sample, edges.Select(e => e.Length + 1).ToArray(), featuresPerSplit, options, random);
        });
        return new RandomForest(trees.ToList(), edges, classCount);
    }

    public float[][] PredictProbabilities(float[][] features)
    {
        var result = new float[features.Length][];
        var row = new byte[FeatureCount];
        for (int i = 0; i < features.Length; i++)
        {
            if (features[i].Length != FeatureCount) throw new ArgumentException($"Row {i} has {features[i].Length} features; the forest was trained on {FeatureCount}.");
            for (int j = 0; j < FeatureCount; j++) row[j] = Bin(binEdges[j], features[i][j]);
            var sum = new double[ClassCount];
            foreach (var tree in trees)
            {
                var leaf = tree.Leaf(row);
                for (int c = 0; c < ClassCount; c++) sum[c] += leaf[c];
            }
            result[i] = sum.Select(s => (float)(s / trees.Count)).ToArray();
        }
        return result;
    }

    private static float[] QuantileEdges(float[] values, int bins)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        var edges = new SortedSet<float>();
        for (int b = 1; b < bins; b++)
        {
            float edge = sorted[(int)((long)b * (sorted.Length - 1) / bins)];
            if (edge < sorted[^1]) edges.Add(edge);
        }
        return edges.ToArray();
    }

    private static byte Bin(float[] edges, float value)
    {
        int index = Array.BinarySearch(edges, value);
        return (byte)(index >= 0 ? index : ~index);
    }

    private sealed class Tree
    {
        private readonly List<int> feature = new(), threshold = new(), left = new(), right = new();
        private readonly List<float[]?> leafDistribution = new();

        public float[] Leaf(byte[] row)
        {
            int node = 0;
            while (leafDistribution[node] is null)
                node = row[feature[node]] <= threshold[node] ? left[node] : right[node];
            return leafDistribution[node]!;
        }

        public static Tree Grow(byte[] binned, int f, int[] labels, int classCount, int[] sample, int[] binCounts,
            int featuresPerSplit, RandomForestOptions options, Random random)
        {
            var tree = new Tree();
            tree.Build(binned, f, labels, classCount, sample, binCounts, featuresPerSplit, options, random, 0);
            return tree;
        }

        private int NewNode()
        {
            feature.Add(-1); threshold.Add(0); left.Add(-1); right.Add(-1); leafDistribution.Add(null);
            return feature.Count - 1;
        }

        private int Build(byte[] binned, int f, int[] labels, int classCount, int[] rows, int[] binCounts,
            int featuresPerSplit, RandomForestOptions options, Random random, int depth)
        {
            int node = NewNode();
            var counts = new int[classCount];
            foreach (int r in rows) counts[labels[r]]++;
            bool pure = counts.Count(c => c > 0) <= 1;
            if (pure || depth >= options.MaxDepth || rows.Length < 2 * options.MinSamplesLeaf)
            {
                leafDistribution[node] = counts.Select(c => c / (float)rows.Length).ToArray();
                return node;
            }
            double parentImpurity = Gini(counts, rows.Length);
            double bestScore = double.MaxValue;
            int bestFeature = -1, bestThreshold = -1;
            var candidates = Enumerable.Range(0, f).ToArray();
            // Partial Fisher–Yates: the first featuresPerSplit entries are a uniform sample without replacement.
            for (int i = 0; i < featuresPerSplit; i++)
            {
                int swap = i + random.Next(f - i);
                (candidates[i], candidates[swap]) = (candidates[swap], candidates[i]);
                int j = candidates[i];
                int bins = binCounts[j];
                var histogram = new int[bins * classCount];
                foreach (int r in rows) histogram[binned[r * f + j] * classCount + labels[r]]++;
                var leftCounts = new int[classCount];
                int leftTotal = 0;
                for (int b = 0; b < bins - 1; b++)
                {
                    for (int c = 0; c < classCount; c++) { leftCounts[c] += histogram[b * classCount + c]; leftTotal += histogram[b * classCount + c]; }
                    int rightTotal = rows.Length - leftTotal;
                    if (leftTotal < options.MinSamplesLeaf || rightTotal < options.MinSamplesLeaf) continue;
                    double leftGini = Gini(leftCounts, leftTotal);
                    double rightGini = 1, sumSquares = 0;
                    for (int c = 0; c < classCount; c++) { double p = (counts[c] - leftCounts[c]) / (double)rightTotal; sumSquares += p * p; }
                    rightGini -= sumSquares;
                    double score = (leftTotal * leftGini + rightTotal * rightGini) / rows.Length;
                    if (score < bestScore - 1e-12) { bestScore = score; bestFeature = j; bestThreshold = b; }
                }
            }
            if (bestFeature < 0 || bestScore >= parentImpurity - 1e-12)
            {
                leafDistribution[node] = counts.Select(c => c / (float)rows.Length).ToArray();
                return node;
            }
            var leftRows = rows.Where(r => binned[r * f + bestFeature] <= bestThreshold).ToArray();
            var rightRows = rows.Where(r => binned[r * f + bestFeature] > bestThreshold).ToArray();
            feature[node] = bestFeature;
            threshold[node] = bestThreshold;
            int leftChild = Build(binned, f, labels, classCount, leftRows, binCounts, featuresPerSplit, options, random, depth + 1);
            int rightChild = Build(binned, f, labels, classCount, rightRows, binCounts, featuresPerSplit, options, random, depth + 1);
            left[node] = leftChild;
            right[node] = rightChild;
            return node;
        }

        private static double Gini(int[] counts, int total)
        {
            if (total == 0) return 0;
            double sumSquares = 0;
            foreach (int c in counts) { double p = c / (double)total; sumSquares += p * p; }
            return 1 - sumSquares;
        }
    }
}
