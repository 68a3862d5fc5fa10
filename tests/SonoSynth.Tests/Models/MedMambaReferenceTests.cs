using SonoSynth.Inference;
using SonoSynth.Tests.Cli;
using SonoSynth.Tests.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

/// <summary>
/// Our MedMamba-T against MedMamba's own model code (MedMamba.py's VSSM, run by scripts/reference/medmamba.py with
/// mamba_ssm's reference selective scan in place of its CUDA kernel). Only the model's logits are compared, so the test
/// holds for any implementation of the scan inside.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Slow")]
[Trait("Category", "Reference")]
public class MedMambaReferenceTests(ITestOutputHelper log)
{
    [SystemFact(SystemRequirement.DebianPyTorch, SystemRequirement.MedMambaSource)]
    public void ImportedMedMambaWeightsGiveMedMambasLogits()
    {
        SystemRequirements.Require(SystemRequirement.MedMambaSource);
        using var folder = new TempFolder();
        using var made = ReferenceScript.Run("medmamba.py", folder.Path, "--image-size", "64");
        Assert.Equal(64, made.RootElement.GetProperty("image_size").GetInt32());

        var model = folder.Combine("medmamba_t.sonomodel");
        var imported = InProcessCli.Run("model", "import", "--arch", "medmamba_t", "--weights", folder.Combine("medmamba_t.pt"),
            "--image-size", "64", "--out", model);
        Assert.True(imported.ExitCode == 0, imported.All);

        using var input = ReferenceScript.ReadFloat32(folder.Combine("medmamba_t-input.npy"));
        using var expected = ReferenceScript.ReadFloat32(folder.Combine("medmamba_t-logits.npy"));
        using var bundle = ModelBundle.Load(model);
        bundle.Model.eval();
        using var noGrad = no_grad();
        using var actual = bundle.Model.call(input);
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = Math.Max(1, expected.abs().max().item<float>());
        log.WriteLine($"MedMamba-T: largest difference {difference:G3}, largest logit {scale:G4}");
        Assert.True(difference <= 1e-4 * scale, $"our MedMamba-T's logits differ from MedMamba's by {difference} (logits up to {scale})");
    }
}
