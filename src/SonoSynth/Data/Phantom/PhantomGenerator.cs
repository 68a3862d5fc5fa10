using SonoSynth.Imaging;
using SonoSynth.Runtime;

namespace SonoSynth.Data.Phantom;

/// <summary>
/// Writes a procedurally generated, ultrasound-like data set in the FETAL_PLANES_DB layout
/// (<c>FETAL_PLANES_DB_data.csv</c> with the published header and trailing spaces, plus <c>Images/&lt;name&gt;.png</c>),
/// so demos and tests exercise the real reader. Deterministic for a seed: each image draws from its own
/// <see cref="Random"/> seeded from (seed, index), each patient's probe from (seed, patient).
/// </summary>
public static class PhantomGenerator
{
    private static readonly string[] Operators = ["Op. 1", "Op. 2", "Op. 3", "Other"];
    private static readonly string[] Machines = ["Voluson E6", "Aloka", "Voluson S10", "Other"];
    private static readonly string[] BrainPlanes = ["Trans-thalamic", "Trans-cerebellum", "Trans-ventricular"];

    /// <summary>
    /// The rows the data set will have, in file order: classes interleaved (image k has class k mod 6), patients of
    /// <see cref="PhantomOptions.ImagesPerPatient"/> consecutive images, a seeded <see cref="PhantomOptions.TestFraction"/>
    /// of patients marked Train = 0.
    /// </summary>
    public static IReadOnlyList<FetalPlanesRecord> Plan(PhantomOptions options)
    {
        options.Validate();
        int classes = PlaneClasses.Count, total = options.PerClass * classes;
        int patients = (total + options.ImagesPerPatient - 1) / options.ImagesPerPatient;
        var testPatients = TestPatients(patients, options);
        var records = new List<FetalPlanesRecord>(total);
        for (int k = 0; k < total; k++)
        {
            int label = k % classes, patient = k / options.ImagesPerPatient + 1;
            int first = (patient - 1) * options.ImagesPerPatient, last = Math.Min(total, first + options.ImagesPerPatient);
            int ofClass = Enumerable.Range(first, last - first).Count(j => j % classes == label);
            int number = Enumerable.Range(first, k - first).Count(j => j % classes == label) + 1;
            var random = new Random(MixSeed(options.Seed, patient, 3));
            records.Add(new FetalPlanesRecord($"Patient{patient:D5}_Plane{label + 1}_{number}_of_{ofClass}", patient,
                PlaneClasses.Names[label], label, label == 1 ? BrainPlanes[k / classes % BrainPlanes.Length] : "Not A Brain",
                Operators[random.Next(Operators.Length)], Machines[random.Next(Machines.Length)], !testPatients.Contains(patient),
                k + 2));
        }
        return records;
    }

    /// <summary>Renders image <paramref name="index"/> of the plan (its class is index mod 6): size² bytes, row-major.</summary>
    public static byte[] Render(int index, PhantomOptions options)
    {
        int label = index % PlaneClasses.Count, patient = index / options.ImagesPerPatient + 1;
        var probe = PhantomProbe.Draw(new Random(MixSeed(options.Seed, patient, 1)));
        var random = new Random(MixSeed(options.Seed, index, 2));
        var canvas = new PhantomCanvas(options.ImageSize);
        PhantomAnatomy.Draw(canvas, label, random);
        return PhantomScanner.Scan(canvas, probe, random);
    }

    /// <summary>Writes the images, then the CSV last (atomically), so a folder with a CSV is complete.</summary>
    public static IReadOnlyList<FetalPlanesRecord> Write(string outFolder, PhantomOptions options, IProgress<ProgressUpdate>? progress = null)
    {
        var records = Plan(options);
        using var folderLock = IO.OutputFolderLock.Acquire(outFolder);
        var images = Path.Combine(outFolder, FetalPlanesCsv.ImagesFolder);
        Directory.CreateDirectory(images);
        const string stage = "Writing phantom images";
        int done = 0;
        progress?.Report(ProgressUpdate.Of(stage, 0, records.Count));
        var gate = new object();
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var pixels = Render(k, options);
            var path = Path.Combine(images, records[k].ImageName + FetalPlanesCsv.ImageExtension);
            // Temp file + rename, but no flush to disk per image (600 fsyncs dominate the run time); the CSV, written
            // last with a flush, is what marks the set complete, and rerunning rewrites identical bytes.
            var temporary = path + $".{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, GrayPng.Encode(pixels, options.ImageSize, options.ImageSize));
            File.Move(temporary, path, overwrite: true);
            lock (gate)
            {
                done++;
                if (done % 50 == 0 || done == records.Count) progress?.Report(ProgressUpdate.Of(stage, done, records.Count));
            }
        });
        FetalPlanesCsv.Write(Path.Combine(outFolder, FetalPlanesCsv.FileName), records);
        return records;
    }

    private static HashSet<int> TestPatients(int patients, PhantomOptions options)
    {
        var order = Enumerable.Range(1, patients).ToArray();
        new Random(MixSeed(options.Seed, 0, 4)).Shuffle(order);
        return order.Take((int)Math.Round(patients * options.TestFraction)).ToHashSet();
    }

    /// <summary>A well-spread 31-bit seed from (seed, index, stream), so neighbouring images get unrelated draws.</summary>
    internal static int MixSeed(int seed, int index, int stream)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)index * 0xBF58476D1CE4E5B9UL + (ulong)stream * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
