using System.Runtime.CompilerServices;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Models;
using SonoSynth.Tests.Cli;
using SonoSynth.Tests.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

/// <summary>
/// Our MedMamba against MedMamba's own model code (MedMamba.py's VSSM, run by scripts/reference/medmamba.py with
/// mamba_ssm's reference selective scan in place of its CUDA kernel). Only the model's logits are compared, so the test
/// holds for any implementation of the scan inside.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Reference")]
public class MedMambaReferenceTests(ITestOutputHelper log)
{
    /// <summary>
    /// MedMamba-T's depths (2-2-4-2: every block kind, all four scan directions, every merge) at widths 4-8-16-32, so
    /// the state dict is small enough to commit and CI needs neither network nor MedMamba's code. Made by
    /// <c>scripts/reference/medmamba.py Fixtures/medmamba --medmamba MEDMAMBA_DIR --dims 4,8,16,32</c> on MedMamba
    /// commit 104beb3 (see Fixtures/medmamba/README.md).
    /// </summary>
    [Fact]
    public void CommittedFixtureFromMedMambasCodeGivesTheSameLogits()
    {
        var model = new MedMamba("medmamba_d4", [2, 2, 4, 2], [4, 8, 16, 32], 16, 0.1, new ClassifierConfig(1, 6, 64));
        var report = PretrainedWeights.LoadTorchvision(model, Fixture("medmamba_d4.pt"));
        Assert.Equal(model.state_dict().Count, report.Loaded.Count); // every tensor, unchanged
        using var input = ReferenceScript.ReadFloat32(Fixture("medmamba_d4-input.npy"));
        using var expected = ReferenceScript.ReadFloat32(Fixture("medmamba_d4-logits.npy"));
        AssertSameLogits(model, input, expected, "MedMamba d4");
    }

    /// <summary>
    /// The full-size medmamba_t through 'model import', made at test time. Opt-in: it needs MedMamba's code, which CI
    /// cannot fetch (no network there); the committed fixture above covers the same code paths.
    /// </summary>
    [Trait("Category", "Slow")]
    [SystemFact(SystemRequirement.DebianPyTorch, SystemRequirement.MedMambaSource)]
    public void ImportedMedMambaWeightsGiveMedMambasLogits()
    {
        SystemRequirements.Require(SystemRequirement.MedMambaSource);
        using var folder = new TempFolder();
        using var made = ReferenceScript.Run("medmamba.py", folder.Path, "--image-size", "64");
        Assert.Equal(64, made.RootElement.GetProperty("image_size").GetInt32());

        var model = folder.PathOf("medmamba_t.sonomodel");
        var imported = InProcessCli.Run("model", "import", "--arch", "medmamba_t", "--weights", folder.PathOf("medmamba_t.pt"),
            "--image-size", "64", "--out", model);
        Assert.True(imported.ExitCode == 0, imported.All);

        using var input = ReferenceScript.ReadFloat32(folder.PathOf("medmamba_t-input.npy"));
        using var expected = ReferenceScript.ReadFloat32(folder.PathOf("medmamba_t-logits.npy"));
        using var bundle = ModelBundle.Load(model);
        AssertSameLogits(bundle.Model, input, expected, "MedMamba-T");
    }

    private void AssertSameLogits(ImageClassifier model, Tensor input, Tensor expected, string name)
    {
        model.eval();
        using var noGrad = no_grad();
        using var actual = model.call(input);
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        Assert.True(scale > 0.1, $"the fixture's logits are too small ({scale}) to tell a wrong model from a right one");
        log.WriteLine($"{name}: largest difference {difference:G3}, largest logit {scale:G4}");
        Assert.True(difference <= 1e-5 * Math.Max(1, scale), $"our {name}'s logits differ from MedMamba's by {difference} (logits up to {scale})");
    }

    private static string Fixture(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Fixtures", "medmamba", name);
}
