// TEMPORARY: replaced at merge by the data branch
using SkiaSharp;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>Opens a class-folder tree of images (temporary stand-in for the data branch's reader).</summary>
public static class DataSources
{
    public static PreparedDataset Open(string path, int imageSize, bool skipBad, IProgress<ProgressUpdate>? progress = null)
    {
        if (!Directory.Exists(path)) throw new InputError($"Data folder '{path}' does not exist. Pass a folder with one sub-folder of PNGs per class.");
        var classFolders = Directory.GetDirectories(path).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classFolders.Length == 0) throw new InputError($"'{path}' has no class sub-folders. Put each class's images in its own sub-folder.");
        var pixels = new List<byte[]>();
        var labels = new List<long>();
        var ids = new List<string>();
        var files = classFolders.SelectMany((folder, c) => Directory.GetFiles(folder)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal).Select(f => (File: f, Class: c))).ToList();
        foreach (var (file, c) in files)
        {
            using var decoded = SKBitmap.Decode(file);
            if (decoded is null)
            {
                if (skipBad) continue;
                throw new InputError($"'{file}' is not a readable image. Remove it or pass --skip-bad.");
            }
            using var gray = new SKBitmap(new SKImageInfo(imageSize, imageSize, SKColorType.Gray8, SKAlphaType.Opaque));
            using (var canvas = new SKCanvas(gray))
            using (var image = SKImage.FromBitmap(decoded))
                canvas.DrawImage(image, new SKRect(0, 0, imageSize, imageSize), new SKSamplingOptions(SKFilterMode.Linear));
            pixels.Add(gray.GetPixelSpan().ToArray());
            labels.Add(c);
            ids.Add(Path.GetRelativePath(path, file));
            progress?.Report(ProgressUpdate.Of("loading images", pixels.Count, files.Count));
        }
        if (pixels.Count == 0) throw new InputError($"No images found under '{path}'.");
        var tensor = torch.tensor(pixels.SelectMany(p => p).ToArray(), dtype: ScalarType.Byte).view(pixels.Count, 1, imageSize, imageSize);
        return new PreparedDataset(new LabelledImages(tensor, labels.ToArray(),
            classFolders.Select(Path.GetFileName).ToArray()!, ids));
    }
}
