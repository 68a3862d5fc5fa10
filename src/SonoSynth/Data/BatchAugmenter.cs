using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>
/// Applies <see cref="AugmentationSettings"/> to a whole batch at once (float [B x C x H x W] in [0,1]), with every
/// random draw from the caller's seeded generator, so an epoch is reproducible. Rotation and crop share one
/// affine_grid + grid_sample (bilinear, zero fill outside the image); flips are exact index reversals.
/// </summary>
public static class BatchAugmenter
{
    /// <summary>The augmentation as a trainer transform; null for the identity (no work per batch).</summary>
    public static Func<Tensor, Generator, Tensor>? AsTransform(AugmentationSettings settings) =>
        settings.IsIdentity ? null : (images, generator) => Apply(images, settings, generator);

    /// <summary>Returns a new tensor; the input is not changed. <see cref="AugmentationSettings.None"/> returns a copy.</summary>
    public static Tensor Apply(Tensor images, AugmentationSettings settings, Generator generator)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected [B x C x H x W]; got {string.Join("x", images.shape)}.");
        using var scope = NewDisposeScope();
        long batch = images.shape[0];
        var device = images.device;
        var x = images.to_type(ScalarType.Float32).clone();

        if (settings.HorizontalFlip) x = FlipSome(x, 3, settings.FlipProbability, generator);
        if (settings.VerticalFlip) x = FlipSome(x, 2, settings.FlipProbability, generator);

        if (settings.Rotate || settings.RandomCrop)
        {
            // theta maps output coordinates to input coordinates in [-1,1]: input = R·(s·output) + t.
            var angle = settings.Rotate
                ? Uniform(batch, -settings.MaxRotationDegrees, settings.MaxRotationDegrees, generator).mul(Math.PI / 180)
                : zeros(batch, dtype: ScalarType.Float64);
            var scale = settings.RandomCrop ? Uniform(batch, settings.MinCropScale, 1.0, generator) : ones(batch, dtype: ScalarType.Float64);
            // The crop window of side s stays inside the image: its centre moves by at most 1-s.
            var shiftX = settings.RandomCrop ? Uniform(batch, -1, 1, generator).mul(scale.neg().add(1)) : zeros(batch, dtype: ScalarType.Float64);
            var shiftY = settings.RandomCrop ? Uniform(batch, -1, 1, generator).mul(scale.neg().add(1)) : zeros(batch, dtype: ScalarType.Float64);
            var cos = angle.cos().mul(scale);
            var sin = angle.sin().mul(scale);
            var theta = stack([cos, sin.neg(), shiftX, sin, cos, shiftY], 1).reshape(batch, 2, 3)
                .to_type(ScalarType.Float32).to(device);
            var grid = nn.functional.affine_grid(theta, [batch, x.shape[1], x.shape[2], x.shape[3]], align_corners: false);
            x = nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        }

        if (settings.ContrastClip)
        {
            // Clip to a random [low, high] window, then stretch it back to [0,1]: a contrast change.
            var low = Uniform(batch, 0, settings.MaxClipFraction, generator).to_type(ScalarType.Float32).to(device).view(batch, 1, 1, 1);
            var high = Uniform(batch, 1 - settings.MaxClipFraction, 1, generator).to_type(ScalarType.Float32).to(device).view(batch, 1, 1, 1);
            x = torch.minimum(torch.maximum(x, low), high).sub(low).div(high.sub(low));
        }

        if (settings.GaussianNoise && settings.NoiseStd > 0)
        {
            var noise = randn(x.shape, dtype: ScalarType.Float32, generator: generator).to(device).mul(settings.NoiseStd);
            x = x.add(noise);
        }

        return x.clamp(0, 1).MoveToOuterDisposeScope();
    }

    private static Tensor FlipSome(Tensor x, int dimension, double probability, Generator generator)
    {
        long batch = x.shape[0];
        var chosen = rand(batch, dtype: ScalarType.Float64, generator: generator).lt(probability).to(x.device).view(batch, 1, 1, 1);
        return where(chosen, x.flip(dimension), x);
    }

    private static Tensor Uniform(long count, double low, double high, Generator generator) =>
        rand(count, dtype: ScalarType.Float64, generator: generator).mul(high - low).add(low);
}
