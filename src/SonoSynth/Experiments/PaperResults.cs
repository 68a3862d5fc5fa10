namespace SonoSynth.Experiments;

/// <summary>
/// The numbers Tian et al. (2025) report, so reports can print ours beside theirs.
/// Accuracies are percentages on their random 80/20 split (9923/2477) at 128 px after 200 epochs.
/// </summary>
public static class PaperResults
{
    /// <summary>Architectures in the column order of the paper's Tables 12–14.</summary>
    public static IReadOnlyList<string> Architectures { get; } = ["resnet50", "densenet169", "vit_b_32", "swin_t", "medmamba_t"];

    public static string DisplayName(string architecture) => architecture switch
    {
        "resnet50" => "ResNet50",
        "densenet169" => "DenseNet169",
        "vit_b_32" => "ViT-B/32",
        "swin_t" => "Swin-T",
        "medmamba_t" => "MedMamba",
        _ => architecture,
    };

    /// <summary>Table 3: FID of "good" and "bad" synthetic images per class (class order of Table 1).</summary>
    public static IReadOnlyList<(string Class, double Good, double Bad)> Table3Fid { get; } =
    [
        ("Fetal abdomen", 148.94, 179.24), ("Fetal brain", 118.51, 145.33), ("Fetal femur", 100.76, 130.69),
        ("Fetal thorax", 123.29, 146.91), ("Maternal cervix", 122.16, 239.34), ("Other", 90.62, 149.31),
    ];

    /// <summary>Table 4: test accuracy after pretraining on "good" vs "bad" synthetic images.</summary>
    public static IReadOnlyDictionary<string, (double Good, double Bad)> Table4GoodBad { get; } = new Dictionary<string, (double, double)>
    {
        ["vit_b_32"] = (88.7, 88.3), ["swin_t"] = (92.5, 91.5), ["resnet50"] = (93.2, 93.2),
        ["densenet169"] = (93.3, 93.2), ["medmamba_t"] = (93.3, 92.2),
    };

    /// <summary>Rows of Tables 5–9 (train and test accuracy per regime); the key is the row's regime id.</summary>
    public sealed record RegimeRow(string Regime, string Synthetic, double TrainAccuracy, double TestAccuracy);

    /// <summary>Tables 5–9: one per architecture (5 ViT-B/32, 6 Swin-T, 7 ResNet50, 8 DenseNet169, 9 MedMamba).</summary>
    public static IReadOnlyDictionary<string, (int Table, RegimeRow[] Rows)> RegimeTables { get; } = new Dictionary<string, (int, RegimeRow[])>
    {
        ["vit_b_32"] = (5,
        [
            new("real-only", "", 81.6, 75.5), new("synthetic-only", "round1", 92.1, 83.6),
            new("pretrain-finetune", "round1", 94.2, 89.6), new("mixed", "round1", 91.5, 88.3),
            new("synthetic-only", "round1+2", 94.9, 88.4), new("pretrain-finetune", "round1+2", 96.2, 90.8),
        ]),
        ["swin_t"] = (6,
        [
            new("real-only", "", 92.2, 89.9), new("synthetic-only", "round1", 95.2, 84.3),
            new("pretrain-finetune", "round1", 95.0, 91.5), new("mixed", "round1", 94.6, 91.6),
            new("synthetic-only", "round1+2", 96.5, 89.5), new("pretrain-finetune", "round1+2", 96.9, 93.1),
        ]),
        ["resnet50"] = (7,
        [
            new("real-only", "", 95.3, 92.0), new("synthetic-only", "round1", 96.4, 86.1),
            new("pretrain-finetune", "round1", 96.8, 92.5), new("synthetic-only", "round1+2", 97.3, 90.4),
            new("pretrain-finetune", "round1+2", 97.9, 93.2),
        ]),
        ["densenet169"] = (8,
        [
            new("real-only", "", 96.3, 92.0), new("synthetic-only", "round1", 96.7, 85.7),
            new("pretrain-finetune", "round1", 97.0, 92.7), new("synthetic-only", "round1+2", 97.7, 91.7),
            new("pretrain-finetune", "round1+2", 97.5, 92.8),
        ]),
        ["medmamba_t"] = (9,
        [
            new("real-only", "", 95.8, 91.6), new("synthetic-only", "round1", 96.9, 84.1),
            new("pretrain-finetune", "round1", 96.7, 92.1), new("synthetic-only", "round1+2", 97.8, 90.6),
            new("pretrain-finetune", "round1+2", 98.1, 92.4),
        ]),
    };

    /// <summary>Table 10: test accuracy, weighted precision, recall, F1 of the final strategy.</summary>
    public static IReadOnlyList<(string Model, double Accuracy, double Precision, double Recall, double F1)> Table10 { get; } =
    [
        ("resnet50", 93.94, 93.98, 93.94, 93.96), ("densenet169", 94.07, 94.08, 94.07, 94.06),
        ("swin_t", 93.10, 93.13, 93.10, 93.10), ("medmamba_t", 93.50, 93.54, 93.50, 93.49),
        ("vit_b_32", 90.15, 90.15, 90.15, 90.10),
        ("resnet50+densenet169+medmamba_t", 94.91, 94.91, 94.91, 94.91),
        ("resnet50+medmamba_t+vit_b_32", 94.87, 94.89, 94.87, 94.86),
        ("resnet50+densenet169+swin_t+medmamba_t+vit_b_32", 94.83, 94.86, 94.83, 94.82),
    ];

    /// <summary>Table 11: majority-vote test accuracy of every 3-of-5 combination, all five, and the two comparison methods.</summary>
    public static IReadOnlyList<(string Members, double Accuracy)> Table11 { get; } =
    [
        ("resnet50+densenet169+swin_t", 94.59), ("resnet50+densenet169+medmamba_t", 94.91),
        ("resnet50+densenet169+vit_b_32", 94.67), ("resnet50+swin_t+medmamba_t", 94.55),
        ("resnet50+swin_t+vit_b_32", 93.30), ("resnet50+medmamba_t+vit_b_32", 94.87),
        ("densenet169+swin_t+medmamba_t", 94.55), ("densenet169+swin_t+vit_b_32", 93.54),
        ("densenet169+medmamba_t+vit_b_32", 94.79), ("swin_t+medmamba_t+vit_b_32", 93.46),
        ("resnet50+densenet169+swin_t+medmamba_t+vit_b_32", 94.83),
        ("stacked-ensemble", 94.64), ("deep-feature-integration", 93.86),
    ];

    /// <summary>Table 12 rows (pretraining source, then its fine-tuned result) per architecture.</summary>
    public static IReadOnlyList<(string Row, double[] Accuracy)> Table12 { get; } =
    [
        ("Pretraining (synthetic)", [86.1, 85.7, 83.6, 84.3, 84.1]),
        ("Pretraining (synthetic) + fine-tuning", [92.5, 92.7, 89.6, 91.5, 92.1]),
        ("Pretraining (traditional augmentation)", [93.2, 93.5, 86.6, 92.0, 92.4]),
        ("Pretraining (traditional augmentation) + fine-tuning", [93.8, 93.7, 88.2, 92.7, 93.0]),
        ("Pretraining (traditional + diffusion)", [93.2, 93.3, 88.5, 92.6, 92.8]),
        ("Pretraining (traditional + diffusion) + fine-tuning", [93.9, 94.1, 90.1, 93.1, 93.5]),
    ];

    /// <summary>Table 13: with and without classifier guidance during sampling.</summary>
    public static IReadOnlyList<(string Row, double[] Accuracy)> Table13 { get; } =
    [
        ("Pretraining (guided synthetic)", [86.1, 85.7, 83.6, 84.3, 84.1]),
        ("Pretraining (guided synthetic) + fine-tuning", [92.5, 92.7, 89.6, 91.5, 92.1]),
        ("Pretraining (unguided synthetic)", [87.0, 83.0, 84.1, 86.1, 87.5]),
        ("Pretraining (unguided synthetic) + fine-tuning", [93.4, 92.8, 89.8, 92.2, 91.8]),
    ];

    /// <summary>Table 14: full vs last-layer fine-tuning.</summary>
    public static IReadOnlyList<(string Row, double[] Accuracy)> Table14 { get; } =
    [
        ("Pretraining (traditional + diffusion)", [93.2, 93.3, 88.5, 92.6, 92.8]),
        ("Pretraining + full fine-tuning", [93.9, 94.1, 90.1, 93.1, 93.5]),
        ("Pretraining + last-layer fine-tuning", [93.6, 93.6, 89.2, 93.2, 92.8]),
    ];
}
