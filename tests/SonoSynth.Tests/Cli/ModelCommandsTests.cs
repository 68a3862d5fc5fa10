using System.Text.Json;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Tests.Data;
using SonoSynth.Tests.Inference;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Cli;

/// <summary>
/// `sonosynth model info | export | import` on a small model: what each writes, read back and run. The comparison with
/// torchvision itself (Debian's PyTorch) is Interop/TorchvisionReferenceTests.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class ModelCommandsTests
{
    private static Tensor Logits(ModelBundle bundle, Tensor input)
    {
        using var noGrad = no_grad();
        return bundle.Model.call(input);
    }

    [Fact]
    public void InfoExportAndImportKeepTheModelItsClassesAndItsOutputs()
    {
        using var folder = new TempFolder();
        var original = folder.PathOf("original.sonomodel");
        using (var model = InferenceFixtures.Resnet18(seed: 3))
            ModelBundle.Save(original, model, InferenceFixtures.ThreeClasses, Provenance.Now("test"), "resnet18");
        using var input = rand(2, 1, 32, 32, generator: new Generator(5));
        using var bundle = ModelBundle.Load(original);
        using var expected = Logits(bundle, input);

        var info = InProcessCli.Run("model", "info", "--model", original, "--json");
        Assert.True(info.ExitCode == 0, info.All);
        using (var json = JsonDocument.Parse(info.Output))
        {
            var root = json.RootElement;
            Assert.Equal("resnet18", root.GetProperty("architecture").GetString());
            Assert.Equal(InferenceFixtures.ThreeClasses, root.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal(32, root.GetProperty("image_size").GetInt32());
            Assert.Equal(1, root.GetProperty("in_channels").GetInt32());
            Assert.Equal(255.0, root.GetProperty("preprocessing").GetProperty("scale_divisor").GetDouble());
        }
        var table = InProcessCli.Run("model", "info", "--model", original);
        // torchvision resnet18 has 11,689,512; 1 input channel removes 64·2·49 = 6,272 and 3 classes 513·997 = 511,461.
        Assert.Contains("11,171,779", table.Output);

        // A bundle exported again is the same model.
        var copy = folder.PathOf("copy.sonomodel");
        Assert.Equal(0, InProcessCli.Run("model", "export", "--model", original, "--format", "bundle", "--out", copy).ExitCode);
        using (var reloaded = ModelBundle.Load(copy))
        using (var logits = Logits(reloaded, input))
        {
            Assert.Equal(InferenceFixtures.ThreeClasses, reloaded.ClassNames);
            Assert.True(logits.eq(expected).all().item<bool>(), "the re-exported bundle gives other logits");
        }

        // PyTorch format: torchvision's names; imported back with the classes, the logits are bit-identical.
        var pytorch = folder.PathOf("model.pt");
        var exported = InProcessCli.Run("model", "export", "--model", original, "--format", "pytorch", "--out", pytorch);
        Assert.True(exported.ExitCode == 0, exported.All);
        var tensors = StateDictFile.Read(pytorch);
        try
        {
            Assert.Equal(bundle.Model.state_dict().Keys.Order(), tensors.Keys.Order());
            Assert.Equal([64, 1, 7, 7], tensors["conv1.weight"].shape);
            Assert.Equal([3, 512], tensors["fc.weight"].shape);
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
        var imported = folder.PathOf("imported.sonomodel");
        var import = InProcessCli.Run(["model", "import", "--arch", "resnet18", "--weights", pytorch, "--image-size", "32",
            "--classes", .. InferenceFixtures.ThreeClasses, "--out", imported]);
        Assert.True(import.ExitCode == 0, import.All);
        using (var reloaded = ModelBundle.Load(imported))
        using (var logits = Logits(reloaded, input))
        {
            Assert.Equal(InferenceFixtures.ThreeClasses, reloaded.ClassNames);
            Assert.Equal("resnet18", reloaded.Info.Architecture);
            Assert.True(logits.eq(expected).all().item<bool>(), "the imported model gives other logits");
        }

        // Without --classes the six planes are assumed; a 3-class head does not fit them.
        var refused = InProcessCli.Run("model", "import", "--arch", "resnet18", "--weights", pytorch, "--out", folder.PathOf("x.sonomodel"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--classes", refused.Unwrapped);
        Assert.Equal(2, InProcessCli.Run("model", "export", "--model", original, "--format", "onnx", "--out", folder.PathOf("x.onnx")).ExitCode);
    }
}
