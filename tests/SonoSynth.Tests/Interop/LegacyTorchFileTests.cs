using SonoSynth.Interop;
using SonoSynth.Quality.Inception;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Interop;

public class LegacyTorchFileTests
{
    // A BasicConv2d(1, 2, 1) state dict in torch.save's legacy (pre-1.6, non-zip) layout, the format of
    // pytorch-fid's pt_inception-2015-12-05 release. Written by Python's pickle (protocol 2) following
    // torch.serialization._legacy_save: magic, protocol 1001, sys_info, the OrderedDict (with _metadata) whose tensors
    // are _rebuild_tensor_v2(storage persistent id, offset, size, stride, ...), the sorted storage keys, then each
    // storage as int64 count + raw bytes. bn.weight and bn.bias share one 4-float storage (bias at offset 2).
    private const string LegacyBasicConv =
        "gAKKCmz8nEb5IGqoUBkugAJN6QMugAJ9cQAoWBAAAABwcm90b2NvbF92ZXJzaW9ucQFN6QNYDQAAAGxpdHRsZV9lbmRpYW5xAohYCgAAAHR5cGVfc2l6ZXNxA31xBChYBQAAAHNob3J0cQVLAlgDAAAAaW50cQZLBFgEAAAAbG9uZ3EHSwh1dS6AAmNjb2xsZWN0aW9ucwpPcmRlcmVkRGljdApxAClScQEoWAsAAABjb252LndlaWdodHECY3RvcmNoLl91dGlscwpfcmVidWlsZF90ZW5zb3JfdjIKcQMoKFgHAAAAc3RvcmFnZXEEY3RvcmNoCkZsb2F0U3RvcmFnZQpxBVgFAAAAOTQwMDJxBlgDAAAAY3B1cQdLAk50cQhRSwAoSwJLAUsBSwF0cQkoSwFLAUsBSwF0cQqJaAApUnELdHEMUnENWAkAAABibi53ZWlnaHRxDmgDKChoBGgFWAUAAAA5NDAwMXEPaAdLBE50cRBRSwBLAoVxEUsBhXESiWgAKVJxE3RxFFJxFVgHAAAAYm4uYmlhc3EWaAMoKGgEaAVoD2gHSwROdHEXUUsCaBFoEoloAClScRh0cRlScRpYDwAAAGJuLnJ1bm5pbmdfbWVhbnEbaAMoKGgEaAVYBQAAADk0MDAzcRxoB0sCTnRxHVFLAGgRaBKJaAApUnEedHEfUnEgWA4AAABibi5ydW5uaW5nX3ZhcnEhaAMoKGgEaAVYBQAAADk0MDA0cSJoB0sCTnRxI1FLAGgRaBKJaAApUnEkdHElUnEmWBYAAABibi5udW1fYmF0Y2hlc190cmFja2VkcSdoAygoaARjdG9yY2gKTG9uZ1N0b3JhZ2UKcShYBQAAADk0MDA1cSloB0sBTnRxKlFLACkpiWgAKVJxK3RxLFJxLXV9cS5YCQAAAF9tZXRhZGF0YXEvaAApUnEwKFgAAAAAcTF9cTJYBwAAAHZlcnNpb25xM0sBc1gEAAAAY29udnE0fXE1aDNLAXNYAgAAAGJucTZ9cTdoM0sCc3VzYi6AAl1xAChYBQAAADk0MDAxcQFYBQAAADk0MDAycQJYBQAAADk0MDAzcQNYBQAAADk0MDA0cQRYBQAAADk0MDA1cQVlLgQAAAAAAAAAAACAPwAAAEDNzMw9zcxMPgIAAAAAAAAAAAAAPwAAwL8CAAAAAAAAAAAAQEAAAIBAAgAAAAAAAAAAAKBAAADAQAEAAAAAAAAABwAAAAAAAAA=";

    [Fact]
    public void LoadsLegacyStateDictIncludingSharedStorageOffsets()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("legacy.pth");
        File.WriteAllBytes(path, Convert.FromBase64String(LegacyBasicConv));
        Assert.True(LegacyTorchFile.IsLegacy(path));

        using var module = new BasicConv2d(1, 2, 1);
        var missing = PyTorchStateDict.LoadInto(module, path);

        Assert.Empty(missing);
        var state = module.state_dict();
        Assert.Equal(new float[] { 0.5f, -1.5f }, state["conv.weight"].data<float>().ToArray());
        Assert.Equal(new float[] { 1f, 2f }, state["bn.weight"].data<float>().ToArray());
        Assert.Equal(new float[] { 0.1f, 0.2f }, state["bn.bias"].data<float>().ToArray());
        Assert.Equal(new float[] { 3f, 4f }, state["bn.running_mean"].data<float>().ToArray());
        Assert.Equal(new float[] { 5f, 6f }, state["bn.running_var"].data<float>().ToArray());
        Assert.Equal(7L, state["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void ZipStateDictWrittenByPyBridgeLoadsThroughTheSameEntryPoint()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("zip.pth");
        using var source = new BasicConv2d(1, 2, 1);
        using (no_grad()) source.state_dict()["bn.running_mean"].fill_(2.5f);
        TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(source, path);
        Assert.False(LegacyTorchFile.IsLegacy(path));

        using var target = new BasicConv2d(1, 2, 1);
        Assert.Empty(PyTorchStateDict.LoadInto(target, path));
        Assert.Equal(new float[] { 2.5f, 2.5f }, target.state_dict()["bn.running_mean"].data<float>().ToArray());
        Assert.True(target.state_dict()["conv.weight"].equal(source.state_dict()["conv.weight"]).all().item<bool>());
    }

    [Fact]
    public void FidWeightsLoaderRefusesAStateDictOfAnotherModelAndSaysWhatToGet()
    {
        using var folder = new TempFolder();
        var path = folder.PathOf("not-inception.pth");
        File.WriteAllBytes(path, Convert.FromBase64String(LegacyBasicConv));
        var error = Assert.Throws<InputError>(() => SonoSynth.Quality.Features.FidInceptionWeights.Load(path));
        Assert.Contains("not the FID Inception state dict", error.Message);
        Assert.Contains("Conv2d_1a_3x3.conv.weight", error.Message);
        Assert.Contains(SonoSynth.Quality.Features.FidInceptionWeights.FileName, error.Message);
    }
}
