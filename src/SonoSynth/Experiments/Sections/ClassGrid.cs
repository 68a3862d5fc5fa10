using SonoSynth.Data;
using SonoSynth.Imaging;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Sections;

/// <summary>A PNG grid of the first images of each class, one row per class (a class with fewer repeats its last image).</summary>
internal static class ClassGrid
{
    public static void Save(LabelledImages images, string path, int perClass)
    {
        var rows = new List<long>();
        for (int c = 0; c < images.ClassNames.Count; c++)
        {
            var ofClass = Enumerable.Range(0, images.Count).Where(i => images.Labels[i] == c).Take(perClass).Select(i => (long)i).ToList();
            if (ofClass.Count == 0) continue;
            while (ofClass.Count < perClass) ofClass.Add(ofClass[^1]);
            rows.AddRange(ofClass);
        }
        if (rows.Count == 0) return;
        using var index = tensor(rows.ToArray());
        using var picked = images.Pixels.index_select(0, index);
        ImageGrid.Save(path, picked, perClass);
    }
}
