using SonoSynth.Reports;

namespace SonoSynth.Experiments.Sections;

/// <summary>Table 1's layout: images per class on each side of the split, patients on both sides, and real samples.</summary>
public sealed class DataSection(string experimentFolder, string reportFolder)
{
    public void Write(ReportDocument document)
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
            ClassGrid.Save(data.Dataset.Images, preview, perClass: 8);
            section.Figure("Real images, one row per class (" + string.Join(", ", data.ClassNames) + ")", "real-samples.png");
        }
        catch (InputError e)
        {
            section.Paragraph("Not available yet: " + e.Message);
        }
    }
}
