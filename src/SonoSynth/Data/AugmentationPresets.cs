// TEMPORARY: replaced at merge by the data branch
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>Named training augmentations: "none" and "paper" (rotation within ±30°, horizontal and vertical flips).</summary>
public static class AugmentationPresets
{
    public static IReadOnlyList<string> Names { get; } = ["none", "paper"];

    public static Func<Tensor, Generator, Tensor>? Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => null,
        "paper" => Paper,
        _ => throw new ArgumentException($"Unknown augmentation '{name}'. Choose one of: {string.Join(", ", Names)}."),
    };

    private static Tensor Paper(Tensor images, Generator generator)
    {
        using var scope = NewDisposeScope();
        long n = images.shape[0];
        var angle = (rand(n, generator: generator) * 2 - 1) * (30.0 * Math.PI / 180.0);
        var flipX = (rand(n, generator: generator) < 0.5).to_type(ScalarType.Float32) * -2 + 1;
        var flipY = (rand(n, generator: generator) < 0.5).to_type(ScalarType.Float32) * -2 + 1;
        var cos = angle.cos(); var sin = angle.sin();
        var zero = zeros(n);
        var theta = stack([stack([cos * flipX, -sin * flipY, zero], 1), stack([sin * flipX, cos * flipY, zero], 1)], 1);
        var grid = nn.functional.affine_grid(theta, images.shape, align_corners: false);
        return nn.functional.grid_sample(images, grid, align_corners: false).MoveToOuterDisposeScope();
    }
}
