namespace SonoSynth.Models;

/// <summary>
/// Builds classifiers by name, like timm's create_model. The first five are the paper's architectures; the
/// others are smaller stand-ins for CPU runs and say so in <see cref="Describe"/>.
/// </summary>
public static class ClassifierRegistry
{
    private sealed record Entry(Func<ClassifierConfig, ImageClassifier> Build, string Description);

    private static readonly IReadOnlyDictionary<string, Entry> Entries = new Dictionary<string, Entry>
    {
        ["resnet50"] = new(ResNet.ResNet50, "ResNet-50 (torchvision), Bottleneck blocks 3-4-6-3"),
        ["densenet169"] = new(DenseNet.DenseNet169, "DenseNet-169 (torchvision), growth 32, blocks 6-12-32-32"),
        ["vit_b_32"] = new(VisionTransformer.VitB32, "ViT-B/32 (torchvision), 12 layers, 12 heads, hidden 768"),
        ["swin_t"] = new(SwinTransformer.SwinT, "Swin-T (torchvision), depths 2-2-6-2, window 7"),
        ["medmamba_t"] = new(MedMamba.MedMambaT, "MedMamba-T (Yue & Li 2024), depths 2-2-4-2, dims 96-768"),
        ["resnet18"] = new(ResNet.ResNet18, "ResNet-18 (torchvision); CPU-friendly stand-in, not in the paper"),
        ["medmamba_nano"] = new(MedMamba.MedMambaNano, "MedMamba with depths 1-1-2-1, dims 32-256; CPU-friendly, not in the paper"),
        ["small_cnn"] = new(SmallCnn.Create, "Four conv-BN-ReLU stages (32-64-128-128), ~0.3 M parameters; for CPU studies at 32-64 px, not in the paper"),
    };

    /// <summary>The paper's five architectures (Tables 5-11), in the paper's order.</summary>
    public static IReadOnlyList<string> PaperNames { get; } = ["resnet50", "densenet169", "vit_b_32", "swin_t", "medmamba_t"];

    /// <summary>Every registered name, the paper's first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Entries.Keys];

    public static bool Contains(string name) => Entries.ContainsKey(name);

    /// <summary>One line on what the architecture is.</summary>
    public static string Describe(string name) => Lookup(name).Description;

    /// <summary>A freshly initialised classifier (torchvision's / MedMamba's init), in training mode on the CPU.</summary>
    public static ImageClassifier Create(string name, ClassifierConfig options)
    {
        var entry = Lookup(name);
        if (options.InChannels < 1 || options.NumClasses < 1 || options.ImageSize < 1)
            throw new ArgumentException(
                $"Classifier options must be positive (in-channels {options.InChannels}, classes {options.NumClasses}, " +
                $"image size {options.ImageSize}).");
        return entry.Build(options);
    }

    /// <summary>Total and trainable parameter counts.</summary>
    public static (long Total, long Trainable) CountParameters(ImageClassifier model)
    {
        long total = 0, trainable = 0;
        foreach (var parameter in model.parameters())
        {
            total += parameter.numel();
            if (parameter.requires_grad) trainable += parameter.numel();
        }
        return (total, trainable);
    }

    private static Entry Lookup(string name) =>
        Entries.TryGetValue(name, out var entry) ? entry : throw new ArgumentException(
            $"Unknown classifier '{name}'. Choose one of: {string.Join(", ", Names)}.");
}
