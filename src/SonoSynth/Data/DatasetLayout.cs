namespace SonoSynth.Data;

/// <summary>How a source folder is organised.</summary>
public enum DatasetLayout
{
    /// <summary>FETAL_PLANES_DB_data.csv plus Images/&lt;Image_name&gt;.png.</summary>
    FetalPlanesDb,
    /// <summary>One sub-folder per class holding that class's images.</summary>
    ClassFolders,
    /// <summary>A CSV of path,label rows: generated (synthetic) or curated image sets.</summary>
    ImageManifest,
}
