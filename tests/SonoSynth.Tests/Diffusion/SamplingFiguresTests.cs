using SonoSynth.Diffusion.Generation;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SkiaSharp;

namespace SonoSynth.Tests.Diffusion;

public class SamplingFiguresTests
{
    public SamplingFiguresTests() => TinyData.UseOneThread();

    [Fact]
    public void A_guided_set_gets_a_trajectory_per_class_and_a_with_and_without_guidance_grid()
    {
        var folder = TinyData.TempFolder();
        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2 });
        using var classifier = new NoiseAwareClassifier(TinyData.Classifier);
        var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddpm, "10", ClassifierScale: 2), classifier);
        var plan = new BulkGenerationPlan(["dark", "bright"], ImagesPerClass: 3, Seed: 5);

        SamplingFigures.Write(generator, unet, plan, folder, "EMA weights (test)");

        // Images are 8 px with a 2 px border: a grid of c columns is 2 + 10c wide.
        var (trajectoryWidth, trajectoryHeight) = ReadSize(Path.Combine(folder, SamplingFigures.TrajectoryFile));
        Assert.Equal((2 + 10 * SamplingFigures.TrajectoryColumns, 2 + 10 * 2), (trajectoryWidth, trajectoryHeight));
        var (comparisonWidth, comparisonHeight) = ReadSize(Path.Combine(folder, SamplingFigures.GuidanceComparisonFile));
        Assert.Equal((2 + 10 * (2 * SamplingFigures.ComparisonPerClass + 1), 2 + 10 * 2), (comparisonWidth, comparisonHeight));
        var record = SamplingFigures.ReadRecord(folder)!;
        Assert.Equal("EMA weights (test)", record.Weights);
        Assert.Equal("classifier s=2", record.Guidance);
    }

    [Fact]
    public void The_trajectory_ends_in_the_set_s_first_image_of_each_class()
    {
        var folder = TinyData.TempFolder();
        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2 });
        var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddim, "ddim10"));
        var plan = new BulkGenerationPlan(["dark", "bright"], ImagesPerClass: 1, Seed: 9);
        new BulkGenerator(generator, folder).Run(plan);
        SamplingFigures.Write(generator, unet, plan, folder, "raw weights");

        var grid = Read(Path.Combine(folder, SamplingFigures.TrajectoryFile));
        int width = 2 + 10 * SamplingFigures.TrajectoryColumns;
        foreach (var (name, row) in new[] { ("dark", 0), ("bright", 1) })
        {
            var image = Read(Path.Combine(folder, "round1", name, "000000.png"));
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                    Assert.Equal(image[y * 8 + x], grid[(2 + 10 * row + y) * width + 2 + 10 * (SamplingFigures.TrajectoryColumns - 1) + x]);
        }
    }

    [Fact]
    public void The_guided_half_of_the_comparison_shows_the_set_s_own_images()
    {
        var folder = TinyData.TempFolder();
        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2 });
        using var classifier = new NoiseAwareClassifier(TinyData.Classifier);
        var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddpm, "10", ClassifierScale: 2), classifier);
        var plan = new BulkGenerationPlan(["dark", "bright"], ImagesPerClass: SamplingFigures.ComparisonPerClass, Seed: 3);
        new BulkGenerator(generator, folder).Run(plan);
        // Mark the set's images, so the grid can only match them if it read them rather than sampling again.
        foreach (var (name, index) in new[] { ("dark", 1), ("bright", 3) })
            GrayPngFile(folder, name, index, Enumerable.Repeat((byte)200, 64).ToArray());
        SamplingFigures.Write(generator, unet, plan, folder, "EMA weights (test)");

        var grid = Read(Path.Combine(folder, SamplingFigures.GuidanceComparisonFile));
        int width = 2 + 10 * (2 * SamplingFigures.ComparisonPerClass + 1);
        foreach (var (name, row) in new[] { ("dark", 0), ("bright", 1) })
            for (int column = 0; column < SamplingFigures.ComparisonPerClass; column++)
            {
                var image = Read(Path.Combine(folder, "round1", name, $"{column:D6}.png"));
                for (int y = 0; y < 8; y++)
                    for (int x = 0; x < 8; x++)
                        Assert.Equal(image[y * 8 + x], grid[(2 + 10 * row + y) * width + 2 + 10 * column + x]);
            }
    }

    [Fact]
    public void Without_figures_only_the_sampling_record_is_written()
    {
        var folder = TinyData.TempFolder();
        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2 });
        var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddim, "ddim10"));
        var plan = new BulkGenerationPlan(["dark", "bright"], ImagesPerClass: 1, Seed: 9);

        SamplingFigures.Write(generator, unet, plan, folder, "raw weights", figures: false);

        Assert.NotNull(SamplingFigures.ReadRecord(folder));
        Assert.False(File.Exists(Path.Combine(folder, SamplingFigures.TrajectoryFile)));
        Assert.False(File.Exists(Path.Combine(folder, SamplingFigures.GuidanceComparisonFile)));
    }

    private static void GrayPngFile(string folder, string className, int index, byte[] pixels) =>
        SonoSynth.Imaging.GrayPng.Save(Path.Combine(folder, "round1", className, $"{index:D6}.png"), pixels, 8, 8);

    private static (int Width, int Height) ReadSize(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        return (bitmap.Width, bitmap.Height);
    }

    private static byte[] Read(string path)
    {
        using var bitmap = SKBitmap.Decode(path);
        return Enumerable.Range(0, bitmap.Width * bitmap.Height).Select(i => bitmap.GetPixel(i % bitmap.Width, i / bitmap.Width).Red).ToArray();
    }
}
