using System.Text.Json;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Tests.Cli;
using SonoSynth.Tests.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Interop;

/// <summary>
/// Our classifiers against torchvision's own (Debian's PyTorch 1.13 / torchvision 0.14), through the user's path:
/// scripts/reference/torchvision_classifiers.py makes seeded weights, an input and torchvision's logits; `model import`
/// turns the weights into a model file; our logits must match. Then `model export --format pytorch` must load into
/// torchvision with strict=True, both for the imported weights (identical tensors) and for weights that never came from
/// PyTorch (torchvision's logits equal ours).
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "Reference")]
public class TorchvisionReferenceTests(ITestOutputHelper log)
{
    private const string Script = "torchvision_classifiers.py";

    // float32 through 50-170 layers in two libtorch versions; the logits are O(1) to O(100) (manifest.json).
    private const double Tolerance = 1e-4;

    [SystemTheory(SystemRequirement.DebianPyTorch)]
    [InlineData("resnet50")]
    [InlineData("densenet169")]
    [InlineData("vit_b_32")]
    [InlineData("swin_t")]
    public void ImportGivesTorchvisionsLogitsAndExportLoadsStrictlyIntoTorchvision(string arch)
    {
        using var folder = new TempFolder();
        ReferenceScript.Run(Script, "make", folder.Path, arch).Dispose();
        string File(string suffix) => folder.PathOf(arch + suffix);

        // torchvision's weights through `model import`: torchvision's logits.
        var imported = InProcessCli.Run("model", "import", "--arch", arch, "--weights", File(".pt"), "--out", File(".sonomodel"));
        Assert.True(imported.ExitCode == 0, imported.All);
        using var input = ReferenceScript.ReadFloat32(File("-input.npy"));
        using var expected = ReferenceScript.ReadFloat32(File("-logits.npy"));
        using var bundle = ModelBundle.Load(File(".sonomodel"));
        Assert.Equal(128, bundle.Info.ImageSize);
        using (var actual = Logits(bundle, input))
            AssertClose(expected, actual, $"{arch}: our logits after `model import` vs torchvision's");

        // Exported again: loads with strict=True, every tensor identical to torchvision's own file.
        var exported = InProcessCli.Run("model", "export", "--model", File(".sonomodel"), "--format", "pytorch", "--out", File("-exported.pt"));
        Assert.True(exported.ExitCode == 0, exported.All);
        using (var report = ReferenceScript.Run(Script, "check-export", File("-exported.pt"), arch, "--reference", File(".pt"),
                   "--input", File("-input.npy"), "--logits", File("-logits.npy")))
        {
            var root = report.RootElement;
            Assert.True(root.GetProperty("strict_load").GetBoolean(), root.ToString());
            Assert.Equal(root.GetProperty("reference_tensors").GetInt32(), root.GetProperty("tensors").GetInt32());
            Assert.True(root.GetProperty("float32").GetBoolean(), root.ToString());
            Assert.Equal(0.0, root.GetProperty("max_tensor_diff").GetDouble());
            Assert.Equal(0.0, root.GetProperty("max_logit_diff").GetDouble());
        }

        // Weights that never existed in PyTorch (every tensor shifted by seeded noise): torchvision computes our logits.
        var generator = new Generator(11);
        using (no_grad())
            foreach (var (_, tensor) in bundle.Model.state_dict().Where(e => e.Value.is_floating_point()))
                tensor.add_(randn(tensor.shape, generator: generator) * 0.01);
        using (var ours = Logits(bundle, input))
        using (var stream = System.IO.File.Create(File("-ours-logits.npy")))
            NpyFile.WriteTensor(stream, ours);
        ModelBundle.Save(File("-shifted.sonomodel"), bundle.Model, bundle.ClassNames, bundle.Info.Provenance, arch);
        exported = InProcessCli.Run("model", "export", "--model", File("-shifted.sonomodel"), "--format", "pytorch", "--out", File("-shifted.pt"));
        Assert.True(exported.ExitCode == 0, exported.All);
        using (var report = ReferenceScript.Run(Script, "check-export", File("-shifted.pt"), arch,
                   "--input", File("-input.npy"), "--logits", File("-ours-logits.npy")))
        {
            var root = report.RootElement;
            Assert.True(root.GetProperty("strict_load").GetBoolean(), root.ToString());
            double difference = root.GetProperty("max_logit_diff").GetDouble();
            double scale = Math.Max(1, root.GetProperty("max_abs_logit").GetDouble());
            log.WriteLine($"{arch}: torchvision on our exported weights vs our logits: largest difference {difference:G3}, largest logit {scale:G4}");
            Assert.True(difference <= Tolerance * scale,
                $"{arch}: torchvision's logits on our exported weights differ from ours by {difference} (logits up to {scale})");
        }
    }

    private static Tensor Logits(ModelBundle bundle, Tensor input)
    {
        bundle.Model.eval();
        using var noGrad = no_grad();
        return bundle.Model.call(input);
    }

    private void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = Math.Max(1, expected.abs().max().item<float>());
        log.WriteLine($"{what}: largest difference {difference:G3}, largest logit {scale:G4}");
        Assert.True(difference <= Tolerance * scale, $"{what}: largest difference {difference} (logits up to {scale}, tolerance {Tolerance}·{scale})");
    }
}
