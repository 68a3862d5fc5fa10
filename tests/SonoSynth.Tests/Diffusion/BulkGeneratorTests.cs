using SonoSynth.Data;
using SonoSynth.Diffusion.Generation;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using TorchSharp;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

public class BulkGeneratorTests
{
    public BulkGeneratorTests() => TinyData.UseOneThread();

    [Fact]
    public void Rerun_fills_gaps_without_duplicates_and_matches_a_fresh_run()
    {
        torch.random.manual_seed(2);
        using var unet = new UNetModel(TinyData.UNet with { ClassCount = 2 });
        var generator = new ImageGenerator(unet, new SamplingOptions(SamplerKind.Ddim, "ddim5", BatchSize: 3));
        string[] classes = ["Fetal brain", "Other"];

        var partial = TinyData.TempFolder();
        var first = new BulkGenerator(generator, partial).Run(new BulkGenerationPlan(classes, 2, Rounds: 1, Seed: 4));
        Assert.Equal(4, first.Generated);
        File.AppendAllText(first.ManifestPath, "round1/other/000009.png,Oth"); // a row torn by a kill
        var second = new BulkGenerator(generator, partial).Run(new BulkGenerationPlan(classes, 3, Rounds: 1, Seed: 4));
        Assert.Equal((2, 4), (second.Generated, second.AlreadyPresent));

        var rows = File.ReadAllLines(second.ManifestPath);
        Assert.Equal(ImageManifest.Header, rows[0]);
        var paths = rows.Skip(1).Select(r => r.Split(',')[0]).ToList();
        Assert.Equal(6, paths.Count);
        Assert.Equal(6, paths.Distinct().Count());
        Assert.Contains("round1/fetal_brain/000002.png", paths);
        Assert.Contains("round1/other/000000.png", paths);
        Assert.All(rows.Skip(1), r => Assert.EndsWith(",ddim eta=0,5,none", r));

        var fresh = TinyData.TempFolder();
        new BulkGenerator(generator, fresh).Run(new BulkGenerationPlan(classes, 3, Rounds: 1, Seed: 4));
        foreach (var path in paths)
            Assert.Equal(File.ReadAllBytes(Path.Combine(fresh, path)), File.ReadAllBytes(Path.Combine(partial, path)));
    }

    [Fact]
    public void Image_seeds_differ_across_round_class_and_index()
    {
        var seeds = new HashSet<long>();
        for (int round = 1; round <= 2; round++)
            for (int c = 0; c < 6; c++)
                for (int i = 0; i < 200; i++)
                    Assert.True(seeds.Add(ImageSeeds.For(42, round, c, i)));
        Assert.Equal(ImageSeeds.For(42, 2, 3, 17), ImageSeeds.For(42, 2, 3, 17));
        Assert.NotEqual(ImageSeeds.For(42, 2, 3, 17), ImageSeeds.For(43, 2, 3, 17));
    }
}
