namespace SonoSynth.Data;

/// <summary>
/// The images of a source data set, listed but not decoded: enough for split statistics on metadata alone.
/// Class-folder trees carry no patients (each image is its own "patient") and no official split.
/// </summary>
public sealed class SourceListing
{
    public SourceListing(string root, DatasetLayout layout, IReadOnlyList<string> classNames, IReadOnlyList<SourceImage> images,
        bool hasPatientIds, bool hasOfficialSplit)
    {
        Root = root;
        Layout = layout;
        ClassNames = classNames;
        Images = images;
        HasPatientIds = hasPatientIds;
        HasOfficialSplit = hasOfficialSplit;
    }

    public string Root { get; }
    public DatasetLayout Layout { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public IReadOnlyList<SourceImage> Images { get; }
    public bool HasPatientIds { get; }
    public bool HasOfficialSplit { get; }
    /// <summary>The CSV that lists the images and their labels (FETAL_PLANES_DB or a manifest), when there is one.</summary>
    public string? MetadataFile { get; init; }

    public int[] Labels => Images.Select(i => i.Label).ToArray();
    public int[] PatientIds => Images.Select(i => i.PatientId).ToArray();
    public bool[] OfficialTrain => Images.Select(i => i.OfficialTrain).ToArray();

    /// <summary>Lists a FETAL_PLANES_DB folder (CSV + Images/), an image manifest (folder with manifest.csv, or the CSV) or a class-folder tree.</summary>
    public static SourceListing Open(string folder)
    {
        if (File.Exists(folder) && string.Equals(Path.GetFileName(folder), FetalPlanesCsv.FileName, StringComparison.OrdinalIgnoreCase))
            return FromFetalPlanesCsv(folder, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, FetalPlanesCsv.ImagesFolder));
        if (File.Exists(folder) && ImageManifest.LooksLikeManifest(folder))
            return ImageManifest.Read(folder);
        if (!Directory.Exists(folder))
            throw new InputError($"Data folder '{folder}' does not exist. Pass a FETAL_PLANES_DB folder ({FetalPlanesCsv.FileName} + " +
                $"{FetalPlanesCsv.ImagesFolder}/), a folder with one sub-folder per class, or make phantom data with 'sonosynth data phantom'.");
        var csv = Path.Combine(folder, FetalPlanesCsv.FileName);
        if (File.Exists(csv))
            return FromFetalPlanesCsv(csv, Path.Combine(folder, FetalPlanesCsv.ImagesFolder));
        var manifest = Path.Combine(folder, ImageManifest.FileName);
        if (ImageManifest.LooksLikeManifest(manifest))
            return ImageManifest.Read(manifest);
        return ClassFolderReader.List(folder);
    }

    /// <summary>Lists the images named by a FETAL_PLANES_DB CSV (the files themselves are checked when decoded).</summary>
    public static SourceListing FromFetalPlanesCsv(string csvPath, string imagesFolder)
    {
        var records = FetalPlanesCsv.Read(csvPath);
        var fileName = Path.GetFileName(csvPath);
        var images = records.Select(r => new SourceImage(r.ImageName,
            Path.Combine(imagesFolder, r.ImageName + FetalPlanesCsv.ImageExtension), r.Label, r.PatientNumber,
            r.OfficialTrain, $"{fileName} line {r.LineNumber}")).ToArray();
        return new SourceListing(Path.GetDirectoryName(Path.GetFullPath(csvPath))!, DatasetLayout.FetalPlanesDb,
            PlaneClasses.Names, images, hasPatientIds: true, hasOfficialSplit: true) { MetadataFile = Path.GetFullPath(csvPath) };
    }
}
