using System.Text;
using System.Text.Json;
using SonoSynth.IO;

namespace SonoSynth.Curation;

/// <summary>
/// Durable good/bad/skip labels in a folder: an append-only JSON-lines journal (<see cref="JournalFileName"/>),
/// one record per action, each flushed to disk (fsync) before the call returns, so a crash or kill -9 loses no
/// label that was acknowledged. Undo is itself an appended record; the labels in force are a replay of the journal.
/// A writable store holds the folder's <see cref="OutputFolderLock"/>, so two servers never write the same journal.
/// </summary>
public sealed class LabelStore : IDisposable
{
    public const string JournalFileName = "labels.jsonl";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly object gate = new();
    private readonly List<LabelRecord> records = new();
    // Labels not withdrawn by an undo, oldest first; undo pops the annotator's latest.
    private readonly List<LabelRecord> active = new();
    private readonly Dictionary<string, LabelRecord> current = new(StringComparer.Ordinal);
    private readonly List<string> warnings = new();
    private readonly FileStream? journal;
    private readonly OutputFolderLock? folderLock;

    private LabelStore(string folder, string annotator, OutputFolderLock? folderLock, FileStream? journal)
    {
        Folder = folder;
        Annotator = annotator;
        this.folderLock = folderLock;
        this.journal = journal;
    }

    public string Folder { get; }
    public string JournalPath => Path.Combine(Folder, JournalFileName);
    /// <summary>Who new labels are attributed to.</summary>
    public string Annotator { get; }
    public bool IsWritable => journal is not null;

    /// <summary>Problems found while loading (e.g. an incomplete last line left by a crash), for the caller to show.</summary>
    public IReadOnlyList<string> Warnings { get { lock (gate) return warnings.ToArray(); } }

    /// <summary>Every journal record, in order (the audit trail: who labelled what, when, and what was undone).</summary>
    public IReadOnlyList<LabelRecord> Records { get { lock (gate) return records.ToArray(); } }

    /// <summary>The label in force per image id (the latest one not undone).</summary>
    public IReadOnlyDictionary<string, LabelRecord> Current
    {
        get { lock (gate) return new Dictionary<string, LabelRecord>(current, StringComparer.Ordinal); }
    }

    public CurationVerdict? VerdictOf(string image)
    {
        lock (gate) return current.TryGetValue(image, out var record) ? record.Verdict : null;
    }

    /// <summary>
    /// Opens (or creates) the store in <paramref name="folder"/> for labelling as <paramref name="annotator"/>.
    /// Takes the folder lock; an incomplete last line from a crash is cut off (with a warning) so new records
    /// start on a clean line.
    /// </summary>
    public static LabelStore Open(string folder, string annotator)
    {
        if (string.IsNullOrWhiteSpace(annotator))
            throw new InputError("The annotator name is empty. Pass --annotator NAME (it is stored with every label).");
        var folderLock = OutputFolderLock.Acquire(folder);
        FileStream? stream = null;
        try
        {
            var path = Path.Combine(folder, JournalFileName);
            bool created = !File.Exists(path);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            // A new file's name lives in the folder: sync the folder too, or a power cut could lose the whole journal.
            if (created) FolderSync.Flush(folder);
            var store = new LabelStore(folder, annotator.Trim(), folderLock, stream);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            long keep = store.Replay(bytes, path);
            if (keep < bytes.Length)
            {
                stream.SetLength(keep);
                stream.Flush(flushToDisk: true);
            }
            stream.Seek(0, SeekOrigin.End);
            if (keep > 0 && bytes[keep - 1] != (byte)'\n')
                store.Append("\n"u8.ToArray());
            return store;
        }
        catch
        {
            stream?.Dispose();
            folderLock.Dispose();
            throw;
        }
    }

    /// <summary>Reads the labels without locking or writing (e.g. to train on them while a server is running).</summary>
    public static LabelStore ReadOnly(string folder)
    {
        var path = Path.Combine(folder, JournalFileName);
        if (!File.Exists(path))
            throw new InputError($"No label journal '{path}'. Label images first with 'sonosynth curate serve IMAGES' " +
                "(its --labels folder), or pass the folder that holds labels.jsonl.");
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var store = new LabelStore(folder, "", null, null);
        store.Replay(bytes, path);
        return store;
    }

    /// <summary>Records a verdict on <paramref name="image"/>; on return the record is on disk.</summary>
    public LabelRecord Label(string image, CurationVerdict verdict)
    {
        if (string.IsNullOrEmpty(image)) throw new ArgumentException("The image id is empty.");
        var record = new LabelRecord(verdict.ToWord(), image, Annotator, DateTime.UtcNow);
        lock (gate)
        {
            Persist(record);
            Apply(record);
        }
        return record;
    }

    /// <summary>
    /// Withdraws this annotator's most recent label still in force (the image goes back to its previous label,
    /// or to unlabelled). Returns the withdrawn label, or null when there is nothing to undo.
    /// </summary>
    public LabelRecord? Undo()
    {
        lock (gate)
        {
            var target = LatestActiveBy(Annotator);
            if (target is null) return null;
            var record = new LabelRecord(LabelRecord.UndoAction, target.Image, Annotator, DateTime.UtcNow);
            Persist(record);
            Apply(record);
            return target;
        }
    }

    public void Dispose()
    {
        journal?.Dispose();
        folderLock?.Dispose();
    }

    private void Persist(LabelRecord record)
    {
        if (journal is null) throw new InvalidOperationException($"The label store '{Folder}' was opened read-only.");
        var line = JsonSerializer.Serialize(record, JsonOptions) + "\n";
        Append(Encoding.UTF8.GetBytes(line));
    }

    private void Append(byte[] bytes)
    {
        journal!.Write(bytes);
        // fsync: an acknowledged label must survive a power cut, not only a process kill.
        journal.Flush(flushToDisk: true);
    }

    /// <summary>Replays the journal bytes; returns how many bytes hold complete records (the rest is a torn tail).</summary>
    private long Replay(byte[] bytes, string path)
    {
        int start = 0, lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            int end = Array.IndexOf(bytes, (byte)'\n', start);
            bool complete = end >= 0;
            var text = Encoding.UTF8.GetString(bytes, start, (complete ? end : bytes.Length) - start).Trim();
            var record = text.Length == 0 ? null : TryParse(text);
            if (text.Length > 0 && record is null)
            {
                if (complete)
                    throw new InputError($"Line {lineNumber} of '{path}' is not a label record: '{Shorten(text)}'. " +
                        "The journal is only ever appended to; restore it from a backup or delete that line.");
                warnings.Add($"Ignored an incomplete last line in '{path}' (line {lineNumber}, {bytes.Length - start} bytes), " +
                    "left by a crash while it was being written; every complete label before it was kept.");
                return start;
            }
            if (record is not null) Apply(record);
            start = complete ? end + 1 : bytes.Length;
        }
        return bytes.Length;
    }

    private static LabelRecord? TryParse(string text)
    {
        try
        {
            var record = JsonSerializer.Deserialize<LabelRecord>(text, JsonOptions);
            if (record is null || string.IsNullOrEmpty(record.Image) || record.Annotator is null) return null;
            if (!record.IsUndo && !CurationVerdicts.TryParse(record.Action, out _)) return null;
            return record;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Apply(LabelRecord record)
    {
        records.Add(record);
        if (!record.IsUndo)
        {
            active.Add(record);
            current[record.Image] = record;
            return;
        }
        var target = LatestActiveBy(record.Annotator);
        if (target is null)
        {
            warnings.Add($"An undo by '{record.Annotator}' at {record.TimeUtc:O} had no label to withdraw; ignored.");
            return;
        }
        active.RemoveAt(active.FindLastIndex(r => ReferenceEquals(r, target)));
        var previous = active.FindLast(r => r.Image == target.Image);
        if (previous is null) current.Remove(target.Image);
        else current[target.Image] = previous;
    }

    private LabelRecord? LatestActiveBy(string annotator) => active.FindLast(r => r.Annotator == annotator);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
