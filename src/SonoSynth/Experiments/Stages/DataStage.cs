using SonoSynth.Data;
using SonoSynth.Data.Phantom;
using SonoSynth.Training;

namespace SonoSynth.Experiments.Stages;

/// <summary>
/// The data cell: generates phantom data if asked, prepares the image cache, splits once and records the split in
/// <c>data.json</c>; every later cell reads it with <see cref="ExperimentData.Load"/>.
/// </summary>
public sealed class DataStage(DataSettings settings)
{
    public void Run(CellContext context)
    {
        var source = settings.Source;
        if (source == "phantom")
        {
            source = Path.Combine(context.Folder, "phantom");
            if (!File.Exists(Path.Combine(source, FetalPlanesCsv.FileName)))
                PhantomGenerator.Write(source, new PhantomOptions(PerClass: settings.PhantomPerClass, Seed: settings.PhantomSeed,
                    ImageSize: settings.PhantomImageSize), context.Progress);
        }
        using var dataset = DataSources.Open(source, settings.ImageSize, settings.SkipBad, context.Progress);
        var split = dataset.Split(settings.Split, settings.SplitSeed);
        var (train, validation) = ValidationSplit.Carve(split.TrainIndices, settings.ValidationFraction, settings.SplitSeed,
            dataset.HasPatientIds ? dataset.PatientIds : null);
        ExperimentData.Write(context.Folder, new ExperimentData.SplitFile(Path.GetFullPath(source), settings.ImageSize, settings.Split.Name(),
            settings.SplitSeed, split.PatientsOnBothSides, [.. train], [.. validation], [.. split.TestIndices]));
    }
}
