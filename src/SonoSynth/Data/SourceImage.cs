namespace SonoSynth.Data;

/// <summary>
/// One image of a source data set before decoding: a stable <paramref name="Id"/> (FETAL_PLANES_DB Image_name,
/// or the path relative to the class-folder root), its file, class index, patient and official-train flag.
/// <paramref name="Origin"/> says where it was listed (CSV line or folder) for error messages.
/// </summary>
public sealed record SourceImage(string Id, string FilePath, int Label, int PatientId, bool OfficialTrain, string Origin);
