namespace SonoSynth.Data;

/// <summary>
/// One row of FETAL_PLANES_DB_data.csv. <paramref name="Label"/> is the index of <paramref name="Plane"/> in
/// <see cref="PlaneClasses.Names"/>; <paramref name="LineNumber"/> is the 1-based line in the file (header = 1),
/// so later errors (a missing image) can point back at the row.
/// </summary>
public sealed record FetalPlanesRecord(
    string ImageName, int PatientNumber, string Plane, int Label, string BrainPlane, string Operator,
    string UsMachine, bool OfficialTrain, int LineNumber);
