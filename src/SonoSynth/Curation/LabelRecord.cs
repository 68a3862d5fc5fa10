using System.Text.Json.Serialization;

namespace SonoSynth.Curation;

/// <summary>
/// One line of the label journal: a verdict ("good", "bad", "skip") on an image, or "undo", which withdraws the
/// same annotator's most recent label still in force (<see cref="Image"/> then names the image it withdrew).
/// </summary>
public sealed record LabelRecord(
    [property: JsonPropertyName("action")] string Action,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("annotator")] string Annotator,
    [property: JsonPropertyName("utc")] DateTime TimeUtc)
{
    public const string UndoAction = "undo";

    [JsonIgnore] public bool IsUndo => Action == UndoAction;

    /// <summary>The verdict of a label record; throws for an undo record.</summary>
    [JsonIgnore]
    public CurationVerdict Verdict => CurationVerdicts.TryParse(Action, out var v) ? v
        : throw new InvalidOperationException($"'{Action}' is not a verdict.");
}
