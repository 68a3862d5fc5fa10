using System.Globalization;
using SonoSynth.Data;
using SonoSynth.Diffusion.Generation;
using SonoSynth.Experiments.Stages;
using SonoSynth.Imaging;
using SonoSynth.Metrics;
using SonoSynth.Reports;
using static TorchSharp.torch;

namespace SonoSynth.Experiments.Sections;

/// <summary>
/// The report's first question: does the pipeline work at the scale it was run? For each study it shows whether the
/// synthetic images carry their class (the judge's intended-class accuracy beside its real-test ceiling and chance),
/// whether the guidance classifier is above chance at small t, whether real-only classifiers learn, and the pictures:
/// real beside synthetic per class, the same seeds with and without guidance, and one trajectory per class.
/// </summary>
public sealed class EvidenceSection(ExperimentConfig config, string experimentFolder, string reportFolder)
{
    private const int ImagesPerSide = 6;

    public void Write(ReportDocument document)
    {
        if (config.Synthetic.All(s => s.Source != "") && config.Quality.Judge is null) return;
        foreach (var level in StudyLevel.Of(config)) Write(document, level);
    }

    /// <summary>The findings in words, one list per study (the demo prints them when it finishes).</summary>
    public static IReadOnlyList<(string Study, IReadOnlyList<string> Findings)> Findings(ExperimentConfig config, string experimentFolder) =>
        StudyLevel.Of(config).Select(level => (level.PerClass is null ? "" : level.Describe(),
            (IReadOnlyList<string>)Collect(config, experimentFolder, level).Findings)).ToList();

    private static (List<string> Findings, List<JudgeVerdict> Verdicts) Collect(ExperimentConfig config, string experimentFolder, StudyLevel level)
    {
        var findings = new List<string>();
        var verdicts = config.Synthetic.Select(s => SyntheticJudge.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.QualityCell(s.Name, level))))
            .OfType<JudgeVerdict>().ToList();
        if (verdicts.Count > 0)
        {
            var judge = verdicts[0];
            findings.Add($"Synthetic images: a {judge.Architecture} judge trained on the real training images only (never on synthetic ones, and not " +
                $"the guidance classifier) scores {ReportFormat.Share(judge.CeilingAccuracy)}% on the real test images; it puts " +
                string.Join(", ", verdicts.Select(v => $"{ReportFormat.Share(v.IntendedClassAccuracy)}% of '{v.SetName}'")) +
                $" in their intended class (chance {ReportFormat.Share(judge.Chance)}%).");
        }
        if (GuidanceClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.GuidanceCell(level))) is [var band, ..])
        {
            double chance = verdicts.Count > 0 ? verdicts[0].Chance : 1.0 / PlaneClasses.Count;
            findings.Add($"Guidance classifier: {ReportFormat.Share(band.Accuracy)}% on noised test images with t in " +
                $"[{band.FromTimestep}, {band.ToTimestep}) (chance {ReportFormat.Share(chance)}%).");
        }
        foreach (var architecture in config.Classifiers.Architectures)
            foreach (var run in config.Classifiers.Runs.Where(r => r.Regime == Training.TrainingRegime.RealOnly))
            {
                var accuracies = config.Classifiers.Seeds
                    .Select(seed => ClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.ClassifierCell(architecture, run, seed, level))))
                    .OfType<ClassifierCellResult>().Select(r => r.SelectedTestAccuracy).ToList();
                if (accuracies.Count == 0) continue;
                var mean = SeedStatistics.Mean(accuracies);
                findings.Add($"Real-only {PaperResults.DisplayName(architecture)}: {mean.Mean.ToString("F1", CultureInfo.InvariantCulture)}" +
                    (accuracies.Count > 1 ? $" ± {mean.StandardDeviation.ToString("F1", CultureInfo.InvariantCulture)}" : "") +
                    $"% test accuracy at the validation-chosen epoch over {accuracies.Count} seed(s).");
            }
        return (findings, verdicts);
    }

    private void Write(ReportDocument document, StudyLevel level)
    {
        var section = document.AddSection(level.PerClass is null ? "Does it work?" : $"Does it work? {level.Describe()}");
        string tag = level.Cell("").Replace('/', '-');
        var (findings, verdicts) = Collect(config, experimentFolder, level);
        if (verdicts.Count > 0)
        {
            var judge = verdicts[0];
            var header = new List<string> { "Class", "Real test images (ceiling)" };
            header.AddRange(verdicts.Select(v => $"'{v.SetName}'"));
            var rows = judge.PerClass.Select((c, i) =>
            {
                var row = new List<string> { c.Class, ReportFormat.Share(c.CeilingAccuracy) };
                row.AddRange(verdicts.Select(v => ReportFormat.Share(v.PerClass[i].IntendedClassAccuracy)));
                return (IReadOnlyList<string>)row;
            }).ToList();
            var total = new List<string> { "All", ReportFormat.Share(judge.CeilingAccuracy) };
            total.AddRange(verdicts.Select(v => ReportFormat.Share(v.IntendedClassAccuracy)));
            rows.Add(total);
            section.Table($"Share the judge ({judge.Architecture}) puts in the intended class, in %", header, rows);
        }
        if (findings.Count == 0) { section.Paragraph("No cell that answers this has finished yet."); return; }
        section.Blocks.Insert(0, new ParagraphBlock(string.Join("\n\n", findings.Select(f => "- " + f))));

        var generated = config.Synthetic.FirstOrDefault(s => s.Source == "" && s.Guidance != SyntheticGuidance.None) ?? config.Synthetic.FirstOrDefault(s => s.Source == "");
        if (generated is null) return;
        var setFolder = ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.SyntheticCell(generated.Name, level));
        if (SamplingFigures.ReadRecord(setFolder) is { } record)
            section.Paragraph($"'{generated.Name}' was sampled with the {record.Weights}; sampler {record.Sampler}, steps {record.Respacing}, guidance {record.Guidance}.");
        var sideBySide = $"{tag}real-vs-synthetic.png";
        if (SaveSideBySide(setFolder, level, Path.Combine(reportFolder, sideBySide)))
            section.Figure($"Real training images (left) beside '{generated.Name}' (right), one row per class", sideBySide);
        foreach (var set in config.Synthetic.Where(s => s.Source == ""))
        {
            var folder = ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.SyntheticCell(set.Name, level));
            if (CopyFigure(folder, SamplingFigures.GuidanceComparisonFile, $"{tag}{set.Name}-guidance.png"))
                section.Figure($"'{set.Name}': the same seeds with {ConfigNames.Name(set.Guidance)} guidance (left, scale {set.GuidanceScale.ToString(CultureInfo.InvariantCulture)}) " +
                    "and without (right), one row per class", $"{tag}{set.Name}-guidance.png");
        }
        if (CopyFigure(setFolder, SamplingFigures.TrajectoryFile, $"{tag}{generated.Name}-trajectory.png"))
            section.Figure($"'{generated.Name}': one denoising trajectory per class, from pure noise (left) to the image (right)",
                $"{tag}{generated.Name}-trajectory.png");
    }

    private bool SaveSideBySide(string setFolder, StudyLevel level, string path)
    {
        if (!File.Exists(Path.Combine(setFolder, ImageManifest.FileName))) return false;
        try
        {
            using var data = ExperimentData.Load(experimentFolder);
            using var synthetic = DataSources.Open(setFolder, config.Data.ImageSize);
            using var scope = NewDisposeScope();
            var tiles = new List<Tensor>();
            var trainRows = level.PerClass is int n ? data.ScarceRows(n, config.Data.ValidationFraction, config.Data.SplitSeed).Train : data.TrainRows;
            using var real = data.Subset(trainRows);
            var blank = zeros([1, real.Channels, real.Height, real.Width], dtype: ScalarType.Byte);
            for (int c = 0; c < real.ClassNames.Count; c++)
            {
                tiles.AddRange(FirstOfClass(real, c));
                tiles.Add(blank);
                tiles.AddRange(FirstOfClass(synthetic.Images, c));
            }
            ImageGrid.Save(path, cat(tiles, 0), 2 * ImagesPerSide + 1);
            return true;
        }
        catch (InputError)
        {
            return false;
        }
    }

    /// <summary><see cref="ImagesPerSide"/> uint8 images of class c (repeating the last, or black tiles when the class has none).</summary>
    private static IEnumerable<Tensor> FirstOfClass(LabelledImages images, int c)
    {
        var rows = Enumerable.Range(0, images.Count).Where(i => images.Labels[i] == c).Take(ImagesPerSide).ToList();
        for (int k = 0; k < ImagesPerSide; k++)
            yield return rows.Count == 0 ? zeros([1, images.Channels, images.Height, images.Width], dtype: ScalarType.Byte)
                : images.Pixels[rows[Math.Min(k, rows.Count - 1)]].unsqueeze(0);
    }

    private bool CopyFigure(string folder, string file, string target)
    {
        var source = Path.Combine(folder, file);
        if (!File.Exists(source)) return false;
        File.Copy(source, Path.Combine(reportFolder, target), overwrite: true);
        return true;
    }
}
