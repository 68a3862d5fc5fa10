using SonoSynth.Curation;
using SonoSynth.Data;
using SonoSynth.Imaging;

namespace SonoSynth.Tests.Curation;

/// <summary>Temporary folders laid out like the generator's output: round1/&lt;class_slug&gt;/&lt;id&gt;.png + manifest.csv.</summary>
internal sealed class SyntheticFolder : IDisposable
{
    public SyntheticFolder(int imagesPerKind, bool withManifest = true, int size = 32, int seed = 1)
    {
        Root = Path.Combine(Path.GetTempPath(), "sonosynth-curation-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        var random = new Random(seed);
        var rows = new List<string> { string.Join(",", ImageManifest.Columns) };
        for (int i = 0; i < imagesPerKind; i++)
        {
            // "Good" = a smooth bright blob in the brain folder, "bad" = pure noise in the femur folder.
            foreach (var (className, pixels) in new[] { ("Fetal brain", SmoothBlob(size, random)), ("Fetal femur", Noise(size, random)) })
            {
                var relative = $"round1/{SonoSynth.Data.PlaneClasses.Slug(className)}/{i:D5}.png";
                GrayPng.Save(Path.Combine(Root, relative), pixels, size, size);
                rows.Add($"{relative},{className},1,{100 + i},ddim,50,2.0");
            }
        }
        if (withManifest) File.WriteAllLines(Path.Combine(Root, ImageManifest.FileName), rows);
    }

    public string Root { get; }
    public string Labels => Path.Combine(Root, "curation");

    public static byte[] SmoothBlob(int size, Random random)
    {
        double cx = size * (0.3 + 0.4 * random.NextDouble()), cy = size * (0.3 + 0.4 * random.NextDouble());
        double radius = size * (0.15 + 0.1 * random.NextDouble());
        var pixels = new byte[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double d2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
                pixels[y * size + x] = (byte)(30 + 200 * Math.Exp(-d2));
            }
        return pixels;
    }

    public static byte[] Noise(int size, Random random)
    {
        var pixels = new byte[size * size];
        random.NextBytes(pixels);
        return pixels;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
