using System.Globalization;
using SonoSynth.Data;
using SonoSynth.Ensembles;
using SonoSynth.Experiments.Stages;
using SonoSynth.Imaging;
using SonoSynth.IO;
using SonoSynth.Metrics;
using SonoSynth.Reports;
using SonoSynth.Training;
using static TorchSharp.torch;

namespace SonoSynth.Experiments;

/// <summary>
/// Writes <c>report/report.md</c> and <c>report/report.html</c> for an experiment folder: the scale actually run,
/// the data split, sample grids, image quality, each of the paper's tables in its layout with the paper's numbers
/// beside ours, training curves, confusion matrices, confidence intervals and ensembles. Cells that have not
/// finished show as "—", so a report can be written at any point of a run.
/// </summary>
public sealed class ExperimentReport(ExperimentConfig config, string experimentFolder)
{
    private readonly string reportFolder = ExperimentLayout.ReportFolder(experimentFolder);
    private readonly Dictionary<string, ClassifierCellResult?> results = new();

    public string Write(string? runDescription = null)
    {
        Directory.CreateDirectory(reportFolder);
        var document = new ReportDocument($"SonoSynth report: {config.Name}");
        Overview(document, runDescription);
        new EvidenceSection(config, experimentFolder, reportFolder).Write(document);
        new ScarcityStudySection(config, experimentFolder, reportFolder).Write(document);
        DataSection(document);
        SyntheticSection(document);
        QualitySection(document);
        if (config.Data.TrainPerClass.Count == 0) RegimeTables(document);
        Table10(document);
        Table11(document);
        AblationTables(document);
        AtomicFile.WriteAllText(Path.Combine(reportFolder, ExperimentLayout.ReportMarkdownFile), MarkdownWriter.Render(document));
        var html = Path.Combine(reportFolder, ExperimentLayout.ReportHtmlFile);
        AtomicFile.WriteAllText(html, HtmlWriter.Render(document, reportFolder));
        return html;
    }

    private ClassifierCellResult? Result(string architecture, ClassifierRunSettings run, int seed)
    {
        var id = ExperimentLayout.ClassifierCell(architecture, run, seed, StudyLevel.Full);
        if (!results.TryGetValue(id, out var result))
            results[id] = result = ClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, id));
        return result;
    }

    private List<ClassifierCellResult> Seeds(string architecture, ClassifierRunSettings run) =>
        config.Classifiers.Seeds.Select(s => Result(architecture, run, s)).OfType<ClassifierCellResult>().ToList();

    private void Overview(ReportDocument document, string? runDescription)
    {
        var section = document.AddSection("What was run");
        if (config.Scale != "") section.Paragraph("Scale: " + config.Scale);
        if (runDescription is not null) section.Paragraph(runDescription);
        var grid = config.Classifiers;
        section.Table("Settings", ["Setting", "This run", "Paper"],
        [
            ["Data", config.Data.Source == "phantom" ? $"built-in phantom, {config.Data.PhantomPerClass} per class" : config.Data.Source, "FETAL_PLANES_DB, 12,400 images"],
            ["Image size", $"{config.Data.ImageSize}×{config.Data.ImageSize}", "128×128"],
            ["Split", $"{ConfigNames.Name(config.Data.Split)} (seed {config.Data.SplitSeed}), validation {config.Data.ValidationFraction:P0} of train", "random 80/20"],
            ["Diffusion", $"{config.Diffusion.Preset}, {config.Diffusion.TrainSteps:N0} steps, batch {config.Diffusion.BatchSize}", "ADM (guided-diffusion), 128 px"],
            ["Synthetic sets", string.Join("; ", config.Synthetic.Select(s => $"{s.Name}: {s.PerClass}/class, {ConfigNames.Name(s.Sampler)} {s.Steps}, guidance {ConfigNames.Name(s.Guidance)} {s.GuidanceScale}")), "2 rounds × 6 × 5000, classifier guidance"],
            ["Classifiers", string.Join(", ", grid.Architectures.Select(PaperResults.DisplayName)), "ResNet50, DenseNet169, ViT-B/32, Swin-T, MedMamba"],
            ["Training", $"{grid.Epochs} epochs (pretraining {grid.PretrainEpochs ?? grid.Epochs}), Adam lr {grid.LearningRate}, batch {grid.BatchSize}, seeds {string.Join(",", grid.Seeds)}", "200 epochs, Adam 1e-4, batch 32, 5 seeds"],
        ]);
        var stages = ExperimentLayout.FinishedCells(experimentFolder).GroupBy(done => done.Stage)
            .Select(g => (IReadOnlyList<string>)[g.Key, g.Count().ToString(), Seconds(g.Sum(done => done.Seconds))]).ToList();
        section.Table("Time per stage (finished cells)", ["Stage", "Cells", "Time"], stages);
        section.Paragraph("Test accuracy is given two ways: the best test epoch, as the paper reports it (optimistic: the test set picks " +
            "the epoch), and the test accuracy at the epoch chosen on a validation split carved from the training data (honest).");
    }

    private void DataSection(ReportDocument document)
    {
        var section = document.AddSection("Data (Table 1 layout)");
        try
        {
            using var data = ExperimentData.Load(experimentFolder);
            var labels = data.Dataset.Images.Labels;
            int Count(IReadOnlyList<int> rows, int c) => rows.Count(r => labels[r] == c);
            var rows = data.ClassNames.Select((name, c) => (IReadOnlyList<string>)[c.ToString(), name,
                (Count(data.TrainRows, c) + Count(data.ValidationRows, c) + Count(data.TestRows, c)).ToString(),
                Count(data.TrainRows, c).ToString(), Count(data.ValidationRows, c).ToString(), Count(data.TestRows, c).ToString()]).ToList();
            rows.Add(["", "Total", data.Dataset.Images.Count.ToString(), data.TrainRows.Count.ToString(), data.ValidationRows.Count.ToString(), data.TestRows.Count.ToString()]);
            section.Table("Images per class", ["Index", "Class", "Images", "Train", "Validation", "Test"], rows);
            section.Paragraph($"Split '{data.Split}': {data.PatientsOnBothSides} patients have images on both sides of the train/test split" +
                (data.Split == "random" ? " (the paper's random split leaks patients; use split: patient for a leak-free estimate)." : "."));
            var preview = Path.Combine(reportFolder, "real-samples.png");
            SaveClassGrid(data.Dataset.Images, preview, perClass: 8);
            section.Figure("Real images, one row per class (" + string.Join(", ", data.ClassNames) + ")", "real-samples.png");
        }
        catch (InputError e)
        {
            section.Paragraph("Not available yet: " + e.Message);
        }
    }

    private void SyntheticSection(ReportDocument document)
    {
        foreach (var level in StudyLevel.Of(config)) SyntheticSection(document, level);
    }

    private void SyntheticSection(ReportDocument document, StudyLevel level)
    {
        if (config.Synthetic.Count == 0) return;
        var section = document.AddSection(level.PerClass is null ? "Synthetic images" : $"Synthetic images, {level.Describe()}");
        string tag = level.Cell("").Replace('/', '-');
        if (DiffusionStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.DiffusionCell(level))) is { } loss)
        {
            Charts.Lines(Path.Combine(reportFolder, $"{tag}diffusion-loss.png"), "Diffusion training loss (ε-prediction MSE)", "step", "loss",
                [new Charts.Series("loss", loss.Steps, loss.Losses)]);
            section.Figure("Diffusion training loss", $"{tag}diffusion-loss.png");
        }
        if (GuidanceClassifierStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.GuidanceCell(level))) is { } bands)
        {
            var rows = bands.Select(b => (IReadOnlyList<string>)[$"[{b.FromTimestep}, {b.ToTimestep})", b.Images.ToString(), Percent(100 * b.Accuracy)]);
            section.Table("Noise-aware guidance classifier: test accuracy per band of t", ["t", "Images", "Accuracy"], rows);
        }
        foreach (var set in config.Synthetic)
        {
            var folder = SamplingStage.Location(set, level, experimentFolder);
            if (set.Source == "" && !SamplingStage.HasImages(folder)) { section.Paragraph($"Set '{set.Name}': not generated yet."); continue; }
            using var images = DataSources.Open(folder, config.Data.ImageSize);
            var file = $"{tag}synthetic-{set.Name}.png";
            SaveClassGrid(images.Images, Path.Combine(reportFolder, file), perClass: 8);
            section.Figure($"Synthetic set '{set.Name}' ({images.Images.Count} images; {ConfigNames.Name(set.Sampler)} {set.Steps}, guidance {ConfigNames.Name(set.Guidance)}" +
                $"{(set.Guidance == SyntheticGuidance.None ? "" : $" {set.GuidanceScale}")}), one row per class", file);
        }
    }

    private void QualitySection(ReportDocument document)
    {
        if (config.Synthetic.Count == 0 || !config.Quality.Fid) return;
        var section = document.AddSection("Image quality (Table 3 layout)");
        var reports = StudyLevel.Of(config).SelectMany(level => config.Synthetic.Select(s => (Name: level.Cell(s.Name),
                Report: QualityStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.QualityCell(s.Name, level))))))
            .Where(r => r.Report is not null).Select(r => (r.Name, Report: r.Report!)).ToList();
        if (reports.Count == 0) { section.Paragraph("No quality cell has finished yet."); return; }
        section.Paragraph("Metric: " + reports[0].Report.MetricLabel +
            ". The paper's columns are FID of curated \"good\" and \"bad\" images (Inception-v3 FID weights); numbers on other features are not comparable.");
        var header = new List<string> { "Class" };
        header.AddRange(reports.Select(r => $"{r.Name}"));
        header.AddRange(["Paper good", "Paper bad"]);
        var rows = PaperResults.Table3Fid.Select(paper =>
        {
            var row = new List<string> { paper.Class };
            foreach (var (_, report) in reports)
            {
                var match = report.PerClass.FirstOrDefault(c => PlaneClasses.Slug(c.Class ?? "") == PlaneClasses.Slug(paper.Class));
                row.Add(match is null ? "—" : match.FrechetDistance.ToString("F2", CultureInfo.InvariantCulture));
            }
            row.Add(paper.Good.ToString("F2", CultureInfo.InvariantCulture));
            row.Add(paper.Bad.ToString("F2", CultureInfo.InvariantCulture));
            return (IReadOnlyList<string>)row;
        });
        section.Table("Fréchet distance of each synthetic class to the real training images of that class", header, rows);
    }

    /// <summary>The paper's row for a run of ours: same regime, one synthetic set ↔ round 1, two or more ↔ rounds 1+2.</summary>
    private static PaperResults.RegimeRow? PaperRow(string architecture, ClassifierRunSettings run)
    {
        if (!PaperResults.RegimeTables.TryGetValue(architecture, out var table) || run.PretrainAugment != "none" || run.Augment != "none") return null;
        var parts = ExperimentConfigLoader.SyntheticParts(run.Synthetic).ToList();
        if (parts.Contains(ExperimentConfigLoader.AugmentedRealSet)) return null;
        var synthetic = parts.Count == 0 ? "" : parts.Count == 1 ? "round1" : "round1+2";
        return table.Rows.FirstOrDefault(r => r.Regime == run.Regime.Name() && r.Synthetic == synthetic);
    }

    private void RegimeTables(ReportDocument document)
    {
        foreach (var architecture in config.Classifiers.Architectures)
        {
            var tableNumber = PaperResults.RegimeTables.TryGetValue(architecture, out var paper) ? $"Table {paper.Table}: " : "";
            var section = document.AddSection($"{tableNumber}{PaperResults.DisplayName(architecture)}: training and test accuracy");
            var rows = new List<IReadOnlyList<string>>();
            var curves = new List<Charts.Series>();
            var ours = new List<double>();
            var theirs = new List<double>();
            var categories = new List<string>();
            foreach (var run in config.Classifiers.Runs)
            {
                var seeds = Seeds(architecture, run);
                var paperRow = PaperRow(architecture, run);
                string ci = "—";
                if (seeds.Count > 0)
                {
                    var interval = BootstrapInterval.Accuracy(seeds[0].Predictions.Correct, seed: 0);
                    ci = $"{100 * interval.Lower:F1}–{100 * interval.Upper:F1}";
                    var history = seeds[0].Final.History;
                    curves.Add(new Charts.Series(RunKeyShort(run), history.Select(e => (double)e.Epoch).ToArray(), history.Select(e => 100 * e.TestAccuracy).ToArray()));
                    var confusionFile = $"confusion-{architecture}-{ExperimentLayout.RunKey(run)}.png";
                    ConfusionHeatmap.WritePng(ClassificationReport.Compute(seeds[0].Predictions).Confusion, Path.Combine(reportFolder, confusionFile),
                        $"{PaperResults.DisplayName(architecture)}: {run.Describe()} (seed {config.Classifiers.Seeds[0]})", 700);
                    section.Figure($"Confusion matrix, {run.Describe()}", confusionFile);
                }
                rows.Add([run.Describe(), MeanSd(seeds.Select(s => s.TrainAccuracy)), MeanSd(seeds.Select(s => s.BestTestAccuracy)),
                    MeanSd(seeds.Select(s => s.SelectedTestAccuracy)), ci, seeds.Count.ToString(),
                    paperRow is null ? "—" : Percent(paperRow.TrainAccuracy), paperRow is null ? "—" : Percent(paperRow.TestAccuracy)]);
                categories.Add(RunKeyShort(run));
                ours.Add(seeds.Count == 0 ? double.NaN : seeds.Average(s => s.BestTestAccuracy));
                theirs.Add(paperRow?.TestAccuracy ?? double.NaN);
            }
            section.Blocks.Insert(0, new TableBlock("Accuracy in % (mean ± sd over seeds)",
                ["Regime", "Train (ours)", "Test, best epoch (ours)", "Test, validation-chosen epoch (ours)", "95% CI (seed 0)", "Seeds", "Train (paper)", "Test (paper)"], rows));
            if (curves.Count > 0)
            {
                var curveFile = $"curves-{architecture}.png";
                Charts.Lines(Path.Combine(reportFolder, curveFile), $"{PaperResults.DisplayName(architecture)}: test accuracy per epoch (last phase, seed {config.Classifiers.Seeds[0]})",
                    "epoch", "test accuracy (%)", curves);
                section.Blocks.Insert(1, new FigureBlock("Test accuracy per epoch of each regime's last phase", curveFile));
                var barsFile = $"bars-{architecture}.png";
                Charts.GroupedBars(Path.Combine(reportFolder, barsFile), $"{PaperResults.DisplayName(architecture)}: test accuracy, ours vs paper", "test accuracy (%)",
                    categories, [("ours (best epoch)", ours.ToArray()), ("paper", theirs.ToArray())]);
                section.Blocks.Insert(2, new FigureBlock("Ours beside the paper (missing bars: no matching row)", barsFile));
            }
        }
    }

    private void Table10(ReportDocument document)
    {
        var grid = config.Classifiers;
        if (grid.EnsembleRun < 0) return;
        var run = grid.Runs[grid.EnsembleRun];
        var section = document.AddSection("Table 10: weighted precision, recall and F1");
        section.Paragraph($"Run: {run.Describe()}, seed {grid.Seeds[0]}; scikit-learn's weighted averages (zero where undefined).");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var architecture in grid.Architectures)
        {
            var result = Result(architecture, run, grid.Seeds[0]);
            var paper = PaperResults.Table10.FirstOrDefault(p => p.Model == architecture);
            rows.Add(ScoreRow(PaperResults.DisplayName(architecture), result?.Predictions, paper.Model is null ? null : paper));
        }
        foreach (var ensemble in ReadEnsembles().Where(e => e.Members.Length > 1))
        {
            var predictions = EnsembleStage.ReadPredictions(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.EnsembleCell(StudyLevel.Full)), ensemble.Name);
            var paper = PaperResults.Table10.FirstOrDefault(p => p.Model == ensemble.Name);
            rows.Add(ScoreRow(string.Join(" + ", ensemble.Members.Select(PaperResults.DisplayName)) + " (majority vote)",
                predictions, paper.Model is null ? null : paper));
        }
        section.Table("In % (ours / paper)", ["Classifier", "Accuracy", "Precision", "Recall", "F1"], rows);
    }

    private static IReadOnlyList<string> ScoreRow(string name, PredictionTable? predictions, (string Model, double Accuracy, double Precision, double Recall, double F1)? paper)
    {
        string Pair(double? ours, double? theirs) => $"{(ours is null ? "—" : Percent(100 * ours.Value))} / {(theirs is null ? "—" : Percent(theirs.Value))}";
        var report = predictions is null ? null : ClassificationReport.Compute(predictions);
        return [name, Pair(report?.Accuracy, paper?.Accuracy), Pair(report?.WeightedPrecision, paper?.Precision),
            Pair(report?.WeightedRecall, paper?.Recall), Pair(report?.WeightedF1, paper?.F1)];
    }

    private IReadOnlyList<EnsembleRecord> ReadEnsembles()
    {
        var records = EnsembleStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.EnsembleCell(StudyLevel.Full)));
        foreach (var method in ComparisonMethods.Names)
            if (ComparisonStage.Read(ExperimentLayout.CellFolder(experimentFolder, ExperimentLayout.ComparisonCell(method, StudyLevel.Full))) is { } comparison)
                records.Add(comparison);
        return records;
    }

    private void Table11(ReportDocument document)
    {
        var ensembles = ReadEnsembles();
        if (ensembles.Count == 0) return;
        var section = document.AddSection("Table 11: majority-vote ensembles");
        section.Paragraph("Each architecture votes with the majority of its seeds; ties go to the class with the highest mean probability " +
            "among the tied classes, then to the lowest class index. The comparison methods, when run, use the first seed's model of " +
            "each architecture as base models and are fitted on the training split.");
        var comparisonRows = ComparisonMethods.Names.ToDictionary(ComparisonMethods.PaperRow, m => ComparisonMethods.DisplayName(m));
        var rows = ensembles.Select(e =>
        {
            var paper = PaperResults.Table11.FirstOrDefault(p => p.Members == e.Name);
            var name = comparisonRows.TryGetValue(e.Name, out var method) ? method
                : e.Members.Length > 1 ? string.Join(" + ", e.Members.Select(PaperResults.DisplayName)) : e.Name;
            return (IReadOnlyList<string>)[name, Percent(100 * e.Accuracy), paper.Members is null ? "—" : Percent(paper.Accuracy)];
        }).ToList();
        section.Table("Test accuracy in %", ["Ensemble", "Ours", "Paper"], rows);
    }

    private void AblationTables(ReportDocument document)
    {
        var guided = config.Synthetic.FirstOrDefault(s => s.Guidance == SyntheticGuidance.Classifier)?.Name;
        var unguided = config.Synthetic.FirstOrDefault(s => s.Guidance == SyntheticGuidance.None)?.Name;
        ClassifierRunSettings? Find(TrainingRegime regime, string? synthetic, bool augmentedPretraining) => synthetic is null ? null :
            config.Classifiers.Runs.FirstOrDefault(r => r.Regime == regime && r.Synthetic == synthetic && (r.PretrainAugment != "none") == augmentedPretraining);
        var augmented = ExperimentConfigLoader.AugmentedRealSet;
        double[] Table4Column(Func<(double Good, double Bad), double> pick) =>
            PaperResults.Architectures.Select(a => pick(PaperResults.Table4GoodBad[a])).ToArray();
        AblationTable(document, 4, "Pretraining on curated \"good\" vs \"bad\" synthetic images (sets named good and bad)",
            [("Pretraining (good) + fine-tuning", Table4Column(p => p.Good)), ("Pretraining (bad) + fine-tuning", Table4Column(p => p.Bad))],
            [Find(TrainingRegime.PretrainFinetune, "good", false), Find(TrainingRegime.PretrainFinetune, "bad", false)]);
        AblationTable(document, 12, "Effect of traditional augmentation", PaperResults.Table12,
        [
            Find(TrainingRegime.SyntheticOnly, guided, false), Find(TrainingRegime.PretrainFinetune, guided, false),
            Find(TrainingRegime.SyntheticOnly, augmented, false), Find(TrainingRegime.PretrainFinetune, augmented, false),
            Find(TrainingRegime.SyntheticOnly, guided, true), Find(TrainingRegime.PretrainFinetune, guided, true),
        ]);
        AblationTable(document, 13, "Impact of classifier guidance", PaperResults.Table13,
        [
            Find(TrainingRegime.SyntheticOnly, guided, false), Find(TrainingRegime.PretrainFinetune, guided, false),
            Find(TrainingRegime.SyntheticOnly, unguided, false), Find(TrainingRegime.PretrainFinetune, unguided, false),
        ]);
        AblationTable(document, 14, "Full vs last-layer fine-tuning", PaperResults.Table14,
        [
            Find(TrainingRegime.SyntheticOnly, guided, true), Find(TrainingRegime.PretrainFinetune, guided, true), Find(TrainingRegime.PretrainLastLayer, guided, true),
        ]);
    }

    private void AblationTable(ReportDocument document, int number, string title, IReadOnlyList<(string Row, double[] Accuracy)> paper,
        IReadOnlyList<ClassifierRunSettings?> runs)
    {
        if (runs.All(r => r is null)) return;
        var section = document.AddSection($"Table {number}: {title}");
        var architectures = PaperResults.Architectures;
        var header = new List<string> { "Row" };
        header.AddRange(architectures.Select(a => $"{PaperResults.DisplayName(a)} ours / paper"));
        var rows = paper.Select((row, i) =>
        {
            var cells = new List<string> { row.Row };
            for (int a = 0; a < architectures.Count; a++)
            {
                var run = runs[i];
                var seeds = run is null || !config.Classifiers.Architectures.Contains(architectures[a]) ? [] : Seeds(architectures[a], run);
                cells.Add($"{(seeds.Count == 0 ? "—" : Percent(seeds.Average(s => s.BestTestAccuracy)))} / {Percent(row.Accuracy[a])}");
            }
            return (IReadOnlyList<string>)cells;
        });
        section.Table("Test accuracy in % (best epoch, mean over seeds)", header, rows);
    }

    private static string RunKeyShort(ClassifierRunSettings run) => ExperimentLayout.RunKey(run).Replace("pretrain-finetune", "pt+ft")
        .Replace("synthetic-only", "syn").Replace("pretrain-lastlayer", "pt+last").Replace("real-only", "real");

    private static void SaveClassGrid(LabelledImages images, string path, int perClass)
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

    private static string MeanSd(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return "—";
        var mean = list.Average();
        if (list.Count == 1) return Percent(mean);
        var sd = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return $"{mean:F1} ± {sd:F1}";
    }

    private static string Percent(double value) => value.ToString("F1", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss");
}
