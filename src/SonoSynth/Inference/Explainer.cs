using SonoSynth.Imaging;
using SonoSynth.Models;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// Writes one heat-map overlay PNG per classified image: the map is computed at the model's input size and
/// upsampled to the file's own resolution, so the sonographer sees it over the full scan.
/// </summary>
public sealed class Explainer(ModelBundle bundle, Device? device = null)
{
    private readonly IGradCamTarget target = bundle.Model.GradCamTarget();
    private readonly Device device = device ?? CPU;

    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <summary>How the maps are made, e.g. "Grad-CAM at layer4".</summary>
    public string Description => $"{target.Method} at {target.LayerName}";

    /// <summary>
    /// Explains each prediction's class; returns the overlay paths, one per prediction, named after the image
    /// (its path relative to the common folder, separators replaced) in <paramref name="folder"/>.
    /// </summary>
    public IReadOnlyList<string> Write(IReadOnlyList<ImagePrediction> predictions, string folder, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(folder);
        var names = OverlayNames(predictions.Select(p => p.Image).ToList());
        int size = bundle.Info.ImageSize;
        var policy = DecodePolicy.Training(size);
        var written = new List<string>();
        for (int i = 0; i < predictions.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var native = ImageDecoder.DecodeGray(predictions[i].Image, DecodePolicy.NativeGray);
            var (gray, width, height) = native;
            var resized = ImageDecoder.Fit(native, policy).Pixels;
            var input = tensor(resized, [1, 1, size, size], ScalarType.Byte).to_type(ScalarType.Float32)
                .div_((float)bundle.Info.Preprocessing.ScaleDivisor).to(device);
            if (bundle.Info.InChannels > 1) input = input.expand(-1, bundle.Info.InChannels, -1, -1);
            var cam = GradCam.Compute(target, bundle.Model, input, [predictions[i].Predicted]);
            var full = nn.functional.interpolate(cam.unsqueeze(1), [height, width], mode: InterpolationMode.Bilinear, align_corners: false)
                .reshape(-1).to(CPU).to_type(ScalarType.Float32).data<float>().ToArray();
            var path = Path.Combine(folder, names[i]);
            HeatmapOverlay.Save(path, gray, full, width, height);
            written.Add(path);
            Progress?.Report(new ProgressUpdate("explaining", i + 1, predictions.Count));
        }
        return written;
    }

    /// <summary>"scans/a/b.png" → "a_b.gradcam.png" (relative to the images' common folder), unique per input.</summary>
    public static IReadOnlyList<string> OverlayNames(IReadOnlyList<string> images)
    {
        var full = images.Select(Path.GetFullPath).ToList();
        var common = full.Count == 0 ? "" : Path.GetDirectoryName(full[0]) ?? "";
        foreach (var path in full)
            while (common.Length > 0 && !path.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                common = Path.GetDirectoryName(common) ?? "";
        return full.Select(p => Path.ChangeExtension(Path.GetRelativePath(common.Length > 0 ? common : "/", p), null)
            .Replace(Path.DirectorySeparatorChar, '_').Replace(Path.AltDirectorySeparatorChar, '_') + ".gradcam.png").ToList();
    }
}
