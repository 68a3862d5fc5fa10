using System.Diagnostics;
using SonoSynth.Data;
using static TorchSharp.torch;

namespace SonoSynth.Training;

/// <summary>An input batch ready for the model: float images on the target device and their labels.</summary>
internal sealed class PreparedBatch(Tensor images, Tensor labels) : IDisposable
{
    public Tensor Images { get; } = images;
    public Tensor Labels { get; } = labels;
    public long Count => Labels.shape[0];
    public void Dispose() { Images.Dispose(); Labels.Dispose(); }
}

/// <summary>
/// Overlaps the input pipeline with compute: while the model trains on batch i, a background task gathers
/// batch i+1 (index_select, uint8→float, augmentation, copy to the device). Batches are prepared strictly one
/// after another, so the augmentation generator is consumed in the same order as without prefetching and
/// results stay deterministic. <see cref="WaitSeconds"/> is the time the training loop spent blocked on data.
/// </summary>
internal sealed class BatchPrefetcher : IDisposable
{
    private readonly LabelledImages images;
    private readonly IReadOnlyList<long[]> batches;
    private readonly Func<Tensor, Generator, Tensor>? augment;
    private readonly Generator generator;
    private readonly Device device;
    private Task<PreparedBatch>? pending;
    private int next;

    public BatchPrefetcher(LabelledImages images, IReadOnlyList<long[]> batches, Func<Tensor, Generator, Tensor>? augment,
        Generator generator, Device device)
    {
        this.images = images;
        this.batches = batches;
        this.augment = augment;
        this.generator = generator;
        this.device = device;
        StartNext();
    }

    public double WaitSeconds { get; private set; }

    /// <summary>The next batch (caller disposes it), or null at the end of the epoch.</summary>
    public PreparedBatch? Take()
    {
        if (pending is null) return null;
        var watch = Stopwatch.StartNew();
        var batch = pending.GetAwaiter().GetResult();
        WaitSeconds += watch.Elapsed.TotalSeconds;
        StartNext();
        return batch;
    }

    private void StartNext()
    {
        if (next >= batches.Count) { pending = null; return; }
        var rows = batches[next++];
        pending = Task.Run(() => Prepare(rows));
    }

    private PreparedBatch Prepare(long[] rows)
    {
        // This thread has no outer dispose scope, so moved-out tensors belong to the caller.
        using var scope = NewDisposeScope();
        var input = images.FloatBatch(rows);
        if (augment is not null) input = augment(input, generator);
        var labels = images.LabelBatch(rows);
        return new PreparedBatch(input.to(device).MoveToOuterDisposeScope(), labels.to(device).MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        // Drain a batch in flight so no native tensor outlives the epoch.
        if (pending is not null)
        {
            try { pending.GetAwaiter().GetResult().Dispose(); } catch { /* the epoch already failed */ }
            pending = null;
        }
    }
}
