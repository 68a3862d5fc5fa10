using System.Text.Json;
using System.Text.Json.Serialization;

namespace SonoSynth.Data;

/// <summary>
/// dataset.json of a prepared cache: where the pixels came from, how they were made, and one entry per image
/// (row order = pixel order in <see cref="PixelFile"/>). Written after the pixel file, so its presence means complete.
/// </summary>
public sealed record PreparedDatasetMetadata(
    int FormatVersion,
    int DecoderVersion,
    string Source,
    DatasetLayout Layout,
    int ImageSize,
    SourceFingerprint Fingerprint,
    bool SkipBad,
    IReadOnlyList<string> ClassNames,
    bool HasPatientIds,
    bool HasOfficialSplit,
    string PixelFile,
    long PixelBytes,
    DateTime CreatedUtc,
    IReadOnlyList<PreparedImageEntry> Images,
    IReadOnlyList<SkippedImage> Skipped)
{
    public const string FileName = "dataset.json";
    public const int CurrentFormatVersion = 1;
    /// <summary>Bump when decoding or resizing changes, so every cache is rebuilt.</summary>
    public const int CurrentDecoderVersion = 1;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static PreparedDatasetMetadata Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        try
        {
            return JsonSerializer.Deserialize<PreparedDatasetMetadata>(File.ReadAllText(path), JsonOptions)
                ?? throw new InputError($"'{path}' is empty. Delete the folder '{folder}' and prepare the data again.");
        }
        catch (JsonException e)
        {
            throw new InputError($"'{path}' is not a valid SonoSynth cache description ({e.Message}). " +
                $"Delete the folder '{folder}' and prepare the data again.", e);
        }
    }

    public void Save(string folder) =>
        IO.AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions));
}

/// <summary>One cached image: id (Image_name or relative path), class index, patient, official-train flag.</summary>
public sealed record PreparedImageEntry(string Id, int Label, int Patient, bool OfficialTrain);
