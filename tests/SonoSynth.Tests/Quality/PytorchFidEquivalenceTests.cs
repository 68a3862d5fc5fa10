using System.Text.Json;
using SonoSynth.Cli;
using SonoSynth.Interop;
using SonoSynth.Quality.Features;
using SonoSynth.Quality.Inception;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Quality;

/// <summary>
/// `sonosynth fid A B` on image folders against `python -m pytorch_fid A B` (pytorch-fid's calculate_fid_given_paths,
/// numbers in Fixtures/PytorchFid from scripts/reference/pytorch_fid_reference.py), given the same Inception weights:
/// pytorch-fid's key layout filled with closed-form values, since the real FID weights cannot be downloaded here.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class PytorchFidEquivalenceTests(ITestOutputHelper output)
{
    private static (int ExitCode, string Output) RunCli(params string[] args)
    {
        var result = InProcessCli.Run(args);
        return (result.ExitCode, result.Output);
    }

    /// <summary>The FID Inception with the closed-form weights, saved as a PyTorch state dict in pytorch-fid's key layout.</summary>
    private static string WriteWeights(TempFolder folder)
    {
        using var model = new InceptionV3(InceptionV3Options.Fid);
        PytorchFidReference.FillClosedForm(model);
        var path = folder.PathOf("pt_inception-closed-form.pth");
        StateDictFile.Write(model, path);
        return path;
    }

    [Fact]
    public void Pool3_features_match_pytorch_fids_inception_network()
    {
        var model = new InceptionV3(InceptionV3Options.Fid); // the extractor owns and disposes it
        PytorchFidReference.FillClosedForm(model);
        using var extractor = new InceptionFeatureExtractor(model, CPU, "closed-form", "closed-form FID Inception", isFidInception: false);
        using var arrays = NpzFile.Read(Path.Combine(PytorchFidReference.Folder, "pool3.npz"));
        // Two RGB images at their native 100×150; the extractor resizes to 299 and scales to [−1, 1] as pytorch-fid's InceptionV3.
        using var images = (arrays.Arrays["images"] / 255).permute(0, 3, 1, 2).to_type(ScalarType.Float32);
        using var features = extractor.Extract(images).to_type(ScalarType.Float64);
        var expected = arrays.Arrays["features"];
        double maxError = (features - expected).abs().max().item<double>(), scale = expected.abs().max().item<double>();
        output.WriteLine($"pool3: max |ours − pytorch-fid| = {maxError:E2} (features up to {scale:G3})");
        Assert.True(scale > 0.01, "the reference features are all but zero; the fixture tests nothing");
        Assert.True(maxError <= 1e-4 * scale, $"max error {maxError:E3} > 1e-4 × {scale:G3}");
    }

    [Theory]
    [InlineData("gray-png")]
    [InlineData("rgb-png")]
    [InlineData("rgb-jpeg")]
    public void Fid_on_image_folders_equals_pytorch_fid(string kindName)
    {
        var expected = PytorchFidReference.Expected();
        var kind = expected.GetProperty("kinds").GetProperty(kindName);
        using var folder = new TempFolder();
        string a, b;
        if (kind.GetProperty("format").GetString() == "jpeg")
        {
            // JPEG bytes depend on the encoder, so the script's PIL-encoded files are committed.
            (a, b) = (Path.Combine(PytorchFidReference.Folder, "jpeg-a"), Path.Combine(PytorchFidReference.Folder, "jpeg-b"));
        }
        else
        {
            int count = expected.GetProperty("images_per_folder").GetInt32();
            // (seed, block, offset) of each side; the pixel digests prove both programs made the same images.
            var sides = kind.GetProperty("sides").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
            var digests = kind.GetProperty("pixel_sha256").EnumerateArray().Select(d => d.GetString()).ToArray();
            a = folder.PathOf("a");
            b = folder.PathOf("b");
            Assert.Equal(digests[0], PytorchFidReference.WritePngFolder(a, kind, sides[0][0], sides[0][1], sides[0][2], count));
            Assert.Equal(digests[1], PytorchFidReference.WritePngFolder(b, kind, sides[1][0], sides[1][1], sides[1][2], count));
        }
        var weights = WriteWeights(folder);

        var (exitCode, text) = RunCli("fid", a, b, "--inception-weights", weights, "--no-kid", "--no-precision-recall", "--json");

        Assert.True(exitCode == 0, text);
        using var json = JsonDocument.Parse(text);
        double ours = json.RootElement.GetProperty("overall").GetProperty("frechet_distance").GetDouble();
        double reference = kind.GetProperty("fid").GetDouble();
        double relative = Math.Abs(ours - reference) / Math.Abs(reference);
        output.WriteLine($"{kindName}: sonosynth {ours:R}, pytorch-fid {reference:R}, relative difference {relative:E2}");
        Assert.True(relative <= 1e-3, $"{kindName}: sonosynth {ours} vs pytorch-fid {reference} (relative {relative:E2})");
    }
}
