// TEMPORARY: replaced at merge by the data branch
using SkiaSharp;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>Minimal reader for a folder with one sub-folder of PNGs per class (the data branch reads FETAL_PLANES_DB too).</summary>
public static class DataSources
{
    public static PreparedDataset Open(string path, int imageSize, bool skipBad = false, IProgress<ProgressUpdate>? progress = null)
    {
        if (!Directory.Exists(path)) throw new InputError($"Data folder '{path}' does not exist.");
        var classFolders = Directory.GetDirectories(path).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (classFolders.Length == 0) throw new InputError($"'{path}' has no class sub-folders.");
        var names = classFolders.Select(Path.GetFileName).Select(n => n!).ToArray();
        var files = classFolders.SelectMany((folder, label) => Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).Select(f => (f, label))).ToArray();
        var pixels = new byte[files.Length * imageSize * imageSize];
        for (int i = 0; i < files.Length; i++)
        {
            using var bitmap = SKBitmap.Decode(files[i].f) ?? throw new InputError($"'{files[i].f}' is not a readable PNG.");
            using var gray = new SKBitmap(new SKImageInfo(imageSize, imageSize, SKColorType.Gray8));
            bitmap.ScalePixels(gray, new SKSamplingOptions(SKFilterMode.Linear));
            gray.GetPixelSpan().CopyTo(pixels.AsSpan(i * imageSize * imageSize, imageSize * imageSize));
            progress?.Report(ProgressUpdate.Of("load images", i + 1, files.Length));
        }
        var tensor = torch.tensor(pixels, dtype: ScalarType.Byte).reshape(files.Length, 1, imageSize, imageSize);
        var images = new LabelledImages(tensor, files.Select(f => (long)f.label).ToArray(), names,
            files.Select(f => Path.GetRelativePath(path, f.f)).ToArray());
        return new PreparedDataset(images, Enumerable.Range(0, files.Length).ToArray(), Enumerable.Repeat(true, files.Length).ToArray());
    }
}
