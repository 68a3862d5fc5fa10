using SonoSynth.Quality.Inception;
using TorchSharp;
using SonoSynth.Interop;

namespace SonoSynth.Quality.Features;

/// <summary>
/// The standard FID Inception weights (the TensorFlow 2015-12-05 graph ported by pytorch-fid). They are never
/// downloaded at run time: the user puts the file where <see cref="Locate"/> looks.
/// </summary>
public static class FidInceptionWeights
{
    public const string FileName = "pt_inception-2015-12-05-6726825d.pth";
    public const string DownloadUrl = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + FileName;
    public const string EnvironmentVariable = "SONOSYNTH_INCEPTION_WEIGHTS";
    public const string ExtractorId = "inception-v3-fid-2015-12-05";

    /// <summary>~/.cache/sonosynth/pt_inception-2015-12-05-6726825d.pth</summary>
    public static string DefaultPath => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "sonosynth", FileName);

    /// <summary>
    /// The weights file: <paramref name="explicitPath"/> (--inception-weights), else $SONOSYNTH_INCEPTION_WEIGHTS,
    /// else <see cref="DefaultPath"/>. Null when none is set and the default does not exist; an explicitly named
    /// file that does not exist is an error.
    /// </summary>
    public static string? Locate(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return File.Exists(explicitPath) ? explicitPath
                : throw new InputError($"--inception-weights '{explicitPath}' does not exist. {WhereToGetIt()}");
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return File.Exists(fromEnvironment) ? fromEnvironment
                : throw new InputError($"${EnvironmentVariable} points to '{fromEnvironment}', which does not exist. {WhereToGetIt()}");
        return File.Exists(DefaultPath) ? DefaultPath : null;
    }

    /// <summary>Which file to get and where to put it.</summary>
    public static string WhereToGetIt() =>
        $"FID needs the FID Inception weights '{FileName}' (pytorch-fid's release, {DownloadUrl}). " +
        $"Download it on a machine with internet access and put it at '{DefaultPath}', or pass --inception-weights FILE, " +
        $"or set ${EnvironmentVariable}=FILE.";

    /// <summary>Builds the FID Inception-v3 and loads the PyTorch state dict; every parameter and running statistic must load.</summary>
    public static InceptionV3 Load(string path)
    {
        var model = new InceptionV3(InceptionV3Options.Fid);
        try
        {
            // num_batches_tracked is absent from older state dicts and unused in eval mode.
            var missing = PyTorchStateDict.LoadInto(model, path).Where(k => !k.EndsWith("num_batches_tracked")).ToList();
            if (missing.Count > 0)
                throw new InputError($"'{path}' is not the FID Inception state dict: {missing.Count} tensors missing " +
                    $"(first: {string.Join(", ", missing.Take(3))}). {WhereToGetIt()}");
        }
        catch (Exception e) when (e is not InputError)
        {
            model.Dispose();
            throw new InputError($"Could not read '{path}' as a PyTorch state dict ({e.Message}). {WhereToGetIt()}", e);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }
}
