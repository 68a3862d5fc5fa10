using System.Security.Cryptography;
using SonoSynth.Data;
using SonoSynth.Data.Phantom;

namespace SonoSynth.Tests.Data;

public class PhantomGeneratorTests
{
    private static string HashFolder(string folder) => string.Join("\n", Directory
        .GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock")).Order(StringComparer.Ordinal)
        .Select(f => Path.GetRelativePath(folder, f) + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    [Fact]
    public void SameSeedWritesIdenticalBytesAndAnotherSeedDoesNot()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        using var third = new TempFolder();
        PhantomGenerator.Write(first.Path, PhantomOptions.Tiny);
        PhantomGenerator.Write(second.Path, PhantomOptions.Tiny);
        PhantomGenerator.Write(third.Path, PhantomOptions.Tiny with { Seed = 1 });
        Assert.Equal(HashFolder(first.Path), HashFolder(second.Path));
        Assert.NotEqual(HashFolder(first.Path), HashFolder(third.Path));
    }

    [Fact]
    public void CsvRoundTripsThroughTheRealReaderWithClassesAndPatients()
    {
        using var folder = new TempFolder();
        var options = new PhantomOptions(PerClass: 5, Seed: 3, ImageSize: 32, ImagesPerPatient: 4);
        var written = PhantomGenerator.Write(folder.Path, options);
        var csv = folder.PathOf(FetalPlanesCsv.FileName);
        Assert.Equal("Image_name;Patient_num;Plane;Brain_plane;Operator;US_Machine;Train ", File.ReadLines(csv).First());
        Assert.All(File.ReadLines(csv).Skip(1), line => Assert.True(line.EndsWith("1 ") || line.EndsWith("0 ")));
        var read = FetalPlanesCsv.Read(csv);
        Assert.Equal(written, read);
        Assert.All(PlaneClasses.Names, name => Assert.Equal(5, read.Count(r => r.Plane == name)));
        Assert.Equal(8, read.Select(r => r.PatientNumber).Distinct().Count()); // 30 images, 4 per patient
        Assert.All(read, r => Assert.True(File.Exists(folder.PathOf("Images", r.ImageName + ".png"))));
        // The official split is by patient, as FETAL_PLANES_DB's is.
        Assert.All(read.GroupBy(r => r.PatientNumber), g => Assert.Single(g.Select(r => r.OfficialTrain).Distinct()));
        Assert.Contains(read, r => !r.OfficialTrain);
    }

    [Fact]
    public void ImagesHaveAFanOnBlackAndClassesDiffer()
    {
        var options = PhantomOptions.Demo with { ImageSize = 64 };
        var brain = PhantomGenerator.Render(1, options);
        // Top corners lie outside the convex-probe sector: black. The centre lies inside: not black on average.
        Assert.Equal(0, brain[0]);
        Assert.Equal(0, brain[63]);
        double centre = Enumerable.Range(24, 16).SelectMany(y => Enumerable.Range(24, 16).Select(x => (double)brain[y * 64 + x])).Average();
        Assert.True(centre > 10, $"centre mean {centre}");
        Assert.NotEqual(PhantomGenerator.Render(0, options), PhantomGenerator.Render(1, options));
    }

    [Fact]
    public void BadOptionsAreExplained()
    {
        Assert.Contains("--per-class", Assert.Throws<InputError>(() => PhantomGenerator.Plan(PhantomOptions.Tiny with { PerClass = 0 })).Message);
        Assert.Contains("--size", Assert.Throws<InputError>(() => PhantomGenerator.Plan(PhantomOptions.Tiny with { ImageSize = 4 })).Message);
    }
}
