using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using SonoSynth.Cli;
using SonoSynth.Curation;
using SonoSynth.Data.Phantom;
using SonoSynth.Imaging;
using SonoSynth.Inference;
using SonoSynth.Interop;
using SonoSynth.Metrics;
using SonoSynth.Tests.Curation;
using SonoSynth.Tests.Inference;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Cli;

/// <summary>
/// What scripts rely on (README, "Usage"): every verb's --json prints one JSON document on stdout, and every key in
/// it, at every depth, is snake_case. Each verb runs on tiny data; a new verb with --json must be added here.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class JsonOutputStyleTests
{
    private static readonly Regex SnakeCase = new("^[a-z0-9]+(_[a-z0-9]+)*$");

    /// <summary>The verbs with --json, each with the arguments (less --json) that run it on data made in the folder.</summary>
    private static readonly IReadOnlyDictionary<string, Func<TempFolder, string[]>> Verbs = new Dictionary<string, Func<TempFolder, string[]>>
    {
        ["data prepare"] = folder => ["--data", Phantom(folder), "--size", "16"],
        ["data stats"] = folder => ["--data", Phantom(folder), "--split", "patient"],
        ["model info"] = folder => ["--model", Bundle(folder)],
        ["classify info"] = _ => ["--arch", "resnet18", "--num-classes", "3", "--image-size", "32"],
        ["classify predict"] = folder => ["--model", Bundle(folder), Scans(folder), "--explain", folder.PathOf("heatmaps")],
        ["classify metrics"] = folder => ["--predictions", Predictions(folder, "m1.csv", 0, 1, 1, 1), "--compare", Predictions(folder, "m2.csv", 0, 0, 0, 1)],
        ["classify ensemble"] = folder => ["--predictions", Predictions(folder, "m1.csv", 0, 1, 1, 1), Predictions(folder, "m2.csv", 0, 0, 0, 1),
            Predictions(folder, "m3.csv", 1, 1, 0, 0)],
        ["diffusion info"] = _ => ["--preset", "cpu-tiny", "--class-cond"],
        ["diffusion train-classifier"] = folder => ["--data", Phantom(folder), "--out", folder.PathOf("classifier"), "--preset", "cpu-tiny",
            "--steps", "2", "--batch-size", "4", "--bands", "2", "--threads", "2"],
        ["fid"] = folder => [Features(folder, "a.npy", 0, 1), Features(folder, "b.npy", 0.5, 2), "--kid-subsets", "2", "--kid-subset-size", "50"],
        ["audit memorisation"] = folder => ["--synthetic", Copies(folder), "--train", "dataset:" + Phantom(folder), "--extractor", "none",
            "--image-size", "32", "--out", folder.PathOf("audit")],
        ["curate train"] = folder => ["--images", LabelledSynthetic(folder), "--out", folder.PathOf("quality"), "--image-size", "32", "--epochs", "1"],
        ["curate filter"] = folder => ["--images", LabelledSynthetic(folder), "--model", QualityModel(folder), "--out", folder.PathOf("curated")],
    };

    public static TheoryData<string> VerbNames => [.. Verbs.Keys];

    [Theory]
    [MemberData(nameof(VerbNames))]
    public void JsonIsOneDocumentWithSnakeCaseKeysAtEveryDepth(string verb)
    {
        using var folder = new TempFolder();
        var args = Verbs[verb](folder);
        var result = InProcessCli.Run([.. verb.Split(' '), .. args, "--json"]);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}:\n{result.All}");
        // Parse fails on anything after the document (progress lines, a second document).
        using var json = JsonDocument.Parse(result.Output);
        var keys = Keys(json.RootElement, "$").ToList();
        Assert.NotEmpty(keys);
        var wrong = keys.Where(k => !SnakeCase.IsMatch(k.Name)).Select(k => k.Path).ToList();
        Assert.True(wrong.Count == 0, $"'{verb} --json' has keys that are not snake_case: {string.Join(", ", wrong)}\n{result.Output}");
    }

    [Fact]
    public void EveryVerbWithJsonIsChecked()
    {
        var withJson = VerbsWithJson(CliApplication.BuildRoot(), "").ToList();
        Assert.Equal(withJson.Order(StringComparer.Ordinal), Verbs.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheKeyCheckFindsCamelCaseAndPascalCaseKeysInNestedArrays()
    {
        using var json = JsonDocument.Parse("""{"per_class": [{"heldOut": 1}], "a1": {"Step": [[{"ok_key": 2}]]}, "b": "notAKey"}""");
        var wrong = Keys(json.RootElement, "$").Where(k => !SnakeCase.IsMatch(k.Name)).Select(k => k.Path);
        Assert.Equal(["$.per_class[0].heldOut", "$.a1.Step"], wrong);
    }

    private static IEnumerable<string> VerbsWithJson(Command command, string path)
    {
        if (command.Options.Any(o => o.Name == "--json")) yield return path;
        foreach (var sub in command.Subcommands)
            foreach (var verb in VerbsWithJson(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
                yield return verb;
    }

    private static IEnumerable<(string Name, string Path)> Keys(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject())
            {
                var at = $"{path}.{property.Name}";
                yield return (property.Name, at);
                foreach (var key in Keys(property.Value, at)) yield return key;
            }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in element.EnumerateArray())
                foreach (var key in Keys(item, $"{path}[{i++}]")) yield return key;
        }
    }

    private static string Phantom(TempFolder folder)
    {
        var path = folder.PathOf("phantom");
        if (!Directory.Exists(path))
            PhantomGenerator.Write(path, new PhantomOptions(PerClass: 2, ImageSize: 32, ImagesPerPatient: 1, Seed: 4));
        return path;
    }

    /// <summary>A resnet18 bundle whose class names have spaces, so a class name used as a key would fail the check.</summary>
    private static string Bundle(TempFolder folder)
    {
        var path = folder.PathOf("r18.sonomodel");
        using var model = InferenceFixtures.Resnet18(seed: 3);
        ModelBundle.Save(path, model, InferenceFixtures.ThreeClasses,
            Provenance.Now("test", new Dictionary<string, string> { ["regime"] = "mixed", ["split_seed"] = "0" }));
        return path;
    }

    /// <summary>Two scans and a file that is not an image, so the unreadable list has an entry.</summary>
    private static string Scans(TempFolder folder)
    {
        var path = folder.PathOf("scans");
        InferenceFixtures.WriteScans(path, 2, seed: 2);
        File.WriteAllText(Path.Combine(path, "notes.png"), "this is not an image");
        return path;
    }

    private static string Predictions(TempFolder folder, string name, params int[] predicted)
    {
        int[] truth = [0, 1, 0, 1];
        var table = new PredictionTable(["Fetal brain", "Other"], predicted.Select((p, i) =>
            new PredictionRow($"x{i}.png", truth[i], p, p == 0 ? [0.8f, 0.2f] : [0.2f, 0.8f])).ToArray());
        var path = folder.PathOf(name);
        table.Write(path);
        return path;
    }

    private static string Features(TempFolder folder, string name, double shift, ulong seed)
    {
        var path = folder.PathOf(name);
        using var features = randn([100, 8], dtype: ScalarType.Float64, generator: new Generator(seed)) + shift;
        using var stream = File.Create(path);
        NpyFile.WriteTensor(stream, features);
        return path;
    }

    /// <summary>A synthetic folder holding one training image and one noise image.</summary>
    private static string Copies(TempFolder folder)
    {
        var brain = folder.PathOf("synthetic", "fetal_brain");
        Directory.CreateDirectory(brain);
        var original = Directory.EnumerateFiles(Path.Combine(Phantom(folder), "Images"), "*.png").Order(StringComparer.Ordinal).First();
        File.Copy(original, Path.Combine(brain, "copy.png"));
        using var noise = randint(0, 256, [32 * 32], dtype: ScalarType.Byte, generator: new Generator(12));
        GrayPng.Save(Path.Combine(brain, "noise.png"), noise.data<byte>().ToArray(), 32, 32);
        return folder.PathOf("synthetic");
    }

    /// <summary>Generated images labelled good (brain) and bad (femur), as 'curate serve' leaves them.</summary>
    private static string LabelledSynthetic(TempFolder folder)
    {
        var root = folder.PathOf("generated");
        if (Directory.Exists(root)) return root;
        using var images = new SyntheticFolder(imagesPerKind: 6);
        CopyFolder(images.Root, root);
        var set = SyntheticImageSet.Load(root);
        using var store = LabelStore.Open(Path.Combine(root, "curation"), "frank");
        foreach (var image in set.Images)
            store.Label(image.Id, image.ClassName == "Fetal brain" ? CurationVerdict.Good : CurationVerdict.Bad);
        return root;
    }

    private static string QualityModel(TempFolder folder)
    {
        var model = folder.PathOf("quality");
        var trained = InProcessCli.Run("curate", "train", "--images", LabelledSynthetic(folder), "--out", model, "--image-size", "32", "--epochs", "1");
        Assert.True(trained.ExitCode == 0, trained.All);
        return model;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
