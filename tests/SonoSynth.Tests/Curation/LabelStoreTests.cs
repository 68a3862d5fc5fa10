using SonoSynth.Curation;

namespace SonoSynth.Tests.Curation;

public class LabelStoreTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "sonosynth-labels-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private string Journal => Path.Combine(folder, LabelStore.JournalFileName);

    [Fact]
    public void LabelsAreOnDiskWithWhoAndWhenBeforeTheCallReturns()
    {
        var before = DateTime.UtcNow;
        using (var store = LabelStore.Open(folder, "alice"))
        {
            store.Label("round1/fetal_brain/00000.png", CurationVerdict.Good);
            store.Label("round1/fetal_brain/00001.png", CurationVerdict.Bad);
            // Read while the writer is still open: nothing may be waiting in a buffer.
            var reader = LabelStore.ReadOnly(folder);
            Assert.Equal(2, reader.Records.Count);
        }
        var reloaded = LabelStore.ReadOnly(folder);
        Assert.Empty(reloaded.Warnings);
        Assert.Equal(["good", "bad"], reloaded.Records.Select(r => r.Action));
        Assert.All(reloaded.Records, r => Assert.Equal("alice", r.Annotator));
        Assert.All(reloaded.Records, r => Assert.Equal(DateTimeKind.Utc, r.TimeUtc.Kind));
        Assert.All(reloaded.Records, r => Assert.InRange(r.TimeUtc, before, DateTime.UtcNow));
        Assert.Equal(CurationVerdict.Bad, reloaded.VerdictOf("round1/fetal_brain/00001.png"));
        Assert.Equal(2, File.ReadAllLines(Journal).Length); // one JSON object per line
    }

    [Fact]
    public void ATornLastLineFromAKilledWriterIsIgnoredWithAWarningAndEveryCompleteLabelKept()
    {
        using (var store = LabelStore.Open(folder, "alice"))
        {
            store.Label("a.png", CurationVerdict.Good);
            store.Label("b.png", CurationVerdict.Bad);
            store.Label("c.png", CurationVerdict.Skip);
            store.Label("d.png", CurationVerdict.Good);
        }
        // A kill -9 in the middle of the 4th write: only part of its line reached the disk.
        var bytes = File.ReadAllBytes(Journal);
        int lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        File.WriteAllBytes(Journal, bytes[..(lastLineStart + 17)]);

        var reloaded = LabelStore.ReadOnly(folder);
        Assert.Equal(["a.png", "b.png", "c.png"], reloaded.Records.Select(r => r.Image));
        Assert.Equal(CurationVerdict.Skip, reloaded.VerdictOf("c.png"));
        Assert.Null(reloaded.VerdictOf("d.png"));
        Assert.Contains(reloaded.Warnings, w => w.Contains("incomplete last line") && w.Contains("line 4"));

        // Reopening for writing cuts the torn tail, so the next label starts on its own line.
        using (var store = LabelStore.Open(folder, "alice"))
        {
            Assert.Single(store.Warnings);
            store.Label("d.png", CurationVerdict.Bad);
        }
        var repaired = LabelStore.ReadOnly(folder);
        Assert.Empty(repaired.Warnings);
        Assert.Equal(["a.png", "b.png", "c.png", "d.png"], repaired.Records.Select(r => r.Image));
        Assert.Equal(CurationVerdict.Bad, repaired.VerdictOf("d.png"));
    }

    [Fact]
    public void UndoWithdrawsTheAnnotatorsLatestLabelAndIsItselfJournalled()
    {
        using (var store = LabelStore.Open(folder, "alice"))
        {
            store.Label("a.png", CurationVerdict.Good);
            store.Label("b.png", CurationVerdict.Bad);
            store.Label("a.png", CurationVerdict.Bad); // relabel a
            Assert.Equal("a.png", store.Undo()!.Image);
            Assert.Equal(CurationVerdict.Good, store.VerdictOf("a.png")); // back to the earlier label, not unlabelled
            Assert.Equal("b.png", store.Undo()!.Image);
            Assert.Null(store.VerdictOf("b.png"));
            Assert.Equal("a.png", store.Undo()!.Image);
            Assert.Null(store.VerdictOf("a.png"));
            Assert.Null(store.Undo()); // nothing left: no record written
        }
        var reloaded = LabelStore.ReadOnly(folder);
        Assert.Equal(["good", "bad", "bad", "undo", "undo", "undo"], reloaded.Records.Select(r => r.Action));
        Assert.Empty(reloaded.Current);
    }

    [Fact]
    public void UndoNeverWithdrawsAnotherAnnotatorsLabel()
    {
        using (var store = LabelStore.Open(folder, "alice"))
            store.Label("a.png", CurationVerdict.Good);
        using (var store = LabelStore.Open(folder, "bob"))
        {
            store.Label("b.png", CurationVerdict.Bad);
            store.Label("a.png", CurationVerdict.Bad);
            Assert.Equal("a.png", store.Undo()!.Image);
            Assert.Equal("b.png", store.Undo()!.Image);
            Assert.Null(store.Undo()); // alice's label is not bob's to undo
            Assert.Equal(CurationVerdict.Good, store.VerdictOf("a.png"));
        }
        var current = LabelStore.ReadOnly(folder).Current;
        Assert.Equal("alice", Assert.Single(current).Value.Annotator);
    }

    [Fact]
    public void ASecondWriterOnTheSameStoreIsRefused()
    {
        using var first = LabelStore.Open(folder, "alice");
        var error = Assert.Throws<IOException>(() => LabelStore.Open(folder, "bob"));
        Assert.Contains("Another SonoSynth run", error.Message);
    }

    [Fact]
    public void ACorruptLineInTheMiddleIsAnErrorThatNamesTheLine()
    {
        using (var store = LabelStore.Open(folder, "alice"))
        {
            store.Label("a.png", CurationVerdict.Good);
            store.Label("b.png", CurationVerdict.Good);
        }
        var lines = File.ReadAllLines(Journal);
        File.WriteAllLines(Journal, [lines[0], "{not json", lines[1]]);
        var error = Assert.Throws<InputError>(() => LabelStore.ReadOnly(folder));
        Assert.Contains("Line 2", error.Message);
    }
}
