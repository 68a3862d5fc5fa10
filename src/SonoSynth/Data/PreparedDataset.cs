using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Data;

/// <summary>
/// A data set decoded once into a compact cache folder: <c>pixels-*.u8</c> (uint8, N·S·S bytes, image after image)
/// and <c>dataset.json</c> (<see cref="PreparedDatasetMetadata"/>). Loading is one binary read into a tensor.
/// The cache is rebuilt when the source files (count, sizes, times), the image size or the decoder change.
/// Disposing frees the pixel tensor.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private PreparedDataset(string cacheFolder, PreparedDatasetMetadata metadata, LabelledImages images, bool rebuilt)
    {
        CacheFolder = cacheFolder;
        Metadata = metadata;
        Images = images;
        WasRebuilt = rebuilt;
        PatientIds = metadata.Images.Select(i => i.Patient).ToArray();
        OfficialTrain = metadata.Images.Select(i => i.OfficialTrain).ToArray();
    }

    public LabelledImages Images { get; }
    /// <summary>Patient number per image (FETAL_PLANES_DB Patient_num); class-folder images count as one patient each.</summary>
    public IReadOnlyList<int> PatientIds { get; }
    /// <summary>The CSV's Train column per image; all false where the source has no official split.</summary>
    public IReadOnlyList<bool> OfficialTrain { get; }
    public string Source => Metadata.Source;
    public int ImageSize => Metadata.ImageSize;
    public string CacheFolder { get; }
    public IReadOnlyList<string> ClassNames => Metadata.ClassNames;
    public DatasetLayout Layout => Metadata.Layout;
    public bool HasPatientIds => Metadata.HasPatientIds;
    public bool HasOfficialSplit => Metadata.HasOfficialSplit;
    /// <summary>Images left out under --skip-bad when the cache was built.</summary>
    public IReadOnlyList<SkippedImage> SkippedImages => Metadata.Skipped;
    /// <summary>True when this call decoded the source; false when a valid cache was reused.</summary>
    public bool WasRebuilt { get; }
    public PreparedDatasetMetadata Metadata { get; }

    /// <summary>Train/test rows of this data set for a split kind (see <see cref="DataSplit"/>).</summary>
    public DataSplit Split(SplitKind kind, int seed = 0, double trainFraction = DataSplit.DefaultTrainFraction) =>
        DataSplit.Create(kind, Images.Labels.Select(l => (int)l).ToArray(), Images.ClassNames.Count, PatientIds,
            HasOfficialSplit ? OfficialTrain : null, seed, trainFraction);

    public static bool IsCacheFolder(string folder) => File.Exists(Path.Combine(folder, PreparedDatasetMetadata.FileName));

    /// <summary>Loads a cache folder as it is, without checking its source.</summary>
    public static PreparedDataset Load(string cacheFolder)
    {
        var metadata = PreparedDatasetMetadata.Load(cacheFolder);
        return new PreparedDataset(cacheFolder, metadata, ReadPixels(cacheFolder, metadata), rebuilt: false);
    }

    /// <summary>
    /// Reuses the cache in <paramref name="cacheFolder"/> when it matches the source and settings, else decodes the
    /// source into it. With <paramref name="skipBad"/> unreadable images are left out and listed in
    /// <see cref="SkippedImages"/>; without it the first one stops the build with an <see cref="InputError"/>
    /// (an existing valid cache is left untouched).
    /// </summary>
    public static PreparedDataset OpenOrBuild(SourceListing listing, string cacheFolder, int imageSize = 128, bool skipBad = false,
        IProgress<ProgressUpdate>? progress = null)
    {
        if (imageSize < 8 || imageSize > 1024)
            throw new InputError($"--size {imageSize}: the image size must be between 8 and 1024 pixels (the paper uses 128).");
        var fingerprint = SourceFingerprint.Compute(listing);
        var reusable = TryLoadMatching(listing, cacheFolder, imageSize, skipBad, fingerprint);
        if (reusable is not null) return reusable;

        Directory.CreateDirectory(cacheFolder);
        using var folderLock = AcquireBuildLock(cacheFolder);
        // Another process may have built it while we waited for the lock.
        reusable = TryLoadMatching(listing, cacheFolder, imageSize, skipBad, fingerprint);
        if (reusable is not null) return reusable;
        return Build(listing, cacheFolder, imageSize, skipBad, fingerprint, progress);
    }

    private static PreparedDataset? TryLoadMatching(SourceListing listing, string cacheFolder, int imageSize, bool skipBad,
        SourceFingerprint fingerprint)
    {
        if (!IsCacheFolder(cacheFolder)) return null;
        PreparedDatasetMetadata metadata;
        try { metadata = PreparedDatasetMetadata.Load(cacheFolder); }
        catch (InputError) { return null; } // a damaged description is simply rebuilt
        bool matches = metadata.FormatVersion == PreparedDatasetMetadata.CurrentFormatVersion
            && metadata.DecoderVersion == PreparedDatasetMetadata.CurrentDecoderVersion
            && metadata.Source == listing.Root && metadata.ImageSize == imageSize && metadata.Fingerprint == fingerprint
            && metadata.ClassNames.SequenceEqual(listing.ClassNames)
            // A cache that skipped files is only valid for a caller who also accepts skipping.
            && (skipBad || metadata.Skipped.Count == 0);
        var pixelPath = Path.Combine(cacheFolder, metadata.PixelFile);
        if (!matches || !File.Exists(pixelPath) || new FileInfo(pixelPath).Length != metadata.PixelBytes) return null;
        return new PreparedDataset(cacheFolder, metadata, ReadPixels(cacheFolder, metadata), rebuilt: false);
    }

    private static PreparedDataset Build(SourceListing listing, string cacheFolder, int imageSize, bool skipBad,
        SourceFingerprint fingerprint, IProgress<ProgressUpdate>? progress)
    {
        const string stage = "Decoding images";
        int total = listing.Images.Count, bytesPerImage = imageSize * imageSize;
        var policy = Imaging.DecodePolicy.Training(imageSize);
        var kept = new List<PreparedImageEntry>(total);
        var skipped = new List<SkippedImage>();
        var pixelFile = $"pixels-{imageSize}-{fingerprint.Sha256[..12]}.u8";
        long written = 0;
        progress?.Report(ProgressUpdate.Of(stage, 0, total));
        IO.AtomicFile.Write(Path.Combine(cacheFolder, pixelFile), stream =>
        {
            // Decode a block in parallel, then write it in listing order, so the file is deterministic.
            const int blockSize = 128;
            var decoded = new byte[blockSize][];
            var errors = new InputError?[blockSize];
            var started = DateTime.UtcNow;
            for (int start = 0; start < total; start += blockSize)
            {
                int count = Math.Min(blockSize, total - start);
                Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                {
                    try { decoded[i] = Imaging.ImageDecoder.DecodeGray(listing.Images[start + i].FilePath, policy).Pixels; errors[i] = null; }
                    catch (InputError e) { decoded[i] = null!; errors[i] = e; }
                });
                for (int i = 0; i < count; i++)
                {
                    var image = listing.Images[start + i];
                    if (errors[i] is { } error)
                    {
                        if (!skipBad) throw new InputError($"{error.Message} (listed in {image.Origin})", error);
                        skipped.Add(new SkippedImage(image.FilePath, image.Origin, error.Message));
                        continue;
                    }
                    stream.Write(decoded[i]);
                    written += bytesPerImage;
                    kept.Add(new PreparedImageEntry(image.Id, image.Label, image.PatientId, image.OfficialTrain));
                }
                double seconds = Math.Max(1e-3, (DateTime.UtcNow - started).TotalSeconds);
                progress?.Report(ProgressUpdate.Of(stage, start + count, total, ("images/s", (start + count) / seconds)));
            }
        });

        var perClass = new int[listing.ClassNames.Count];
        foreach (var entry in kept) perClass[entry.Label]++;
        var empty = Enumerable.Range(0, perClass.Length).Where(c => perClass[c] == 0).Select(c => listing.ClassNames[c]).ToList();
        if (empty.Count > 0)
        {
            TryDelete(Path.Combine(cacheFolder, pixelFile));
            throw new InputError($"After leaving out {skipped.Count} unreadable image(s), class {string.Join(", ", empty.Select(n => $"'{n}'"))} " +
                $"has no images left in '{listing.Root}'. Replace the damaged files (first: '{skipped.FirstOrDefault()?.FilePath}').");
        }

        var previous = IsCacheFolder(cacheFolder) ? SafePixelFileOf(cacheFolder) : null;
        var metadata = new PreparedDatasetMetadata(PreparedDatasetMetadata.CurrentFormatVersion,
            PreparedDatasetMetadata.CurrentDecoderVersion, listing.Root, listing.Layout, imageSize, fingerprint, skipBad,
            listing.ClassNames, listing.HasPatientIds, listing.HasOfficialSplit, pixelFile, written, DateTime.UtcNow, kept, skipped);
        metadata.Save(cacheFolder);
        if (previous is not null && previous != pixelFile) TryDelete(Path.Combine(cacheFolder, previous));
        return new PreparedDataset(cacheFolder, metadata, ReadPixels(cacheFolder, metadata), rebuilt: true);
    }

    private static LabelledImages ReadPixels(string cacheFolder, PreparedDatasetMetadata metadata)
    {
        var path = Path.Combine(cacheFolder, metadata.PixelFile);
        long count = metadata.Images.Count, size = metadata.ImageSize;
        if (!File.Exists(path) || new FileInfo(path).Length != count * size * size || metadata.PixelBytes != count * size * size)
            throw new InputError($"The cache in '{cacheFolder}' is incomplete ('{metadata.PixelFile}' should hold {count} images of " +
                $"{size}x{size} bytes). Delete the folder and prepare the data again.");
        var pixels = torch.empty([count, 1, size, size], ScalarType.Byte);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        {
            // Sequential reads straight into the tensor's memory; chunks of whole images keep each span below 2 GB.
            long imagesPerChunk = Math.Max(1, (256L << 20) / (size * size));
            for (long start = 0; start < count; start += imagesPerChunk)
            {
                using var chunk = pixels.narrow(0, start, Math.Min(imagesPerChunk, count - start));
                stream.ReadExactly(chunk.bytes);
            }
        }
        var labels = metadata.Images.Select(i => (long)i.Label).ToArray();
        return new LabelledImages(pixels, labels, metadata.ClassNames, metadata.Images.Select(i => i.Id).ToArray());
    }

    private static string? SafePixelFileOf(string cacheFolder)
    {
        try { return PreparedDatasetMetadata.Load(cacheFolder).PixelFile; } catch (InputError) { return null; }
    }

    private static IDisposable AcquireBuildLock(string cacheFolder)
    {
        // Parallel workers opening the same source wait for the first one's build instead of failing.
        for (int attempt = 0; ; attempt++)
        {
            try { return IO.OutputFolderLock.Acquire(cacheFolder); }
            catch (IOException e) when (attempt < 1800 && e.InnerException is IOException && e.Message.StartsWith("Another", StringComparison.Ordinal))
            {
                Thread.Sleep(1000);
            }
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => Images.Dispose();
}
