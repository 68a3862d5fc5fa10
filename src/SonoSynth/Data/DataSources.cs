// TEMPORARY: replaced at merge by the data branch
using SonoSynth.Quality.Inputs;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>Opens a data set by path. Minimal version: a folder with one sub-folder per plane class.</summary>
public static class DataSources
{
    public static PreparedDataset Open(string path, int imageSize, bool skipBad, IProgress<ProgressUpdate>? progress)
    {
        var files = ImageFileSource.FromFolder(path);
        var rows = Enumerable.Range(0, files.Count).Where(i => files.ClassAt(i) is not null).ToList();
        if (rows.Count == 0) throw new InputError($"'{path}' has no class sub-folders (e.g. fetal_brain/).");
        var slugs = PlaneClasses.Names.Select(PlaneClasses.Slug).ToList();
        var labels = rows.Select(i => (long)slugs.IndexOf(files.ClassAt(i)!)).ToArray();
        var pixels = new List<Tensor>();
        for (int start = 0; start < rows.Count; start += 64)
        {
            using var scope = NewDisposeScope();
            var batch = files.LoadBatch(rows.Skip(start).Take(64).ToList(), imageSize);
            pixels.Add(batch.mul(255).round_().to_type(ScalarType.Byte).MoveToOuterDisposeScope());
            progress?.Report(ProgressUpdate.Of("load", Math.Min(start + 64, rows.Count), rows.Count));
        }
        var kept = labels.Select((l, i) => (l, i)).Where(p => p.l >= 0).Select(p => p.i).ToList();
        if (kept.Count == 0) throw new InputError($"'{path}': no sub-folder is named after a plane class ({string.Join(", ", slugs)}).");
        using var all = cat(pixels, 0);
        using var index = tensor(kept.Select(i => (long)i).ToArray());
        return new PreparedDataset(new LabelledImages(all.index_select(0, index), kept.Select(i => labels[i]).ToArray(),
            PlaneClasses.Names, kept.Select(i => files.IdAt(rows[i])).ToArray()));
    }
}
