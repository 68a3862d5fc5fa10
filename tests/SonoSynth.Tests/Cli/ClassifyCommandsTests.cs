using System.Text.Json;
using SonoSynth.Data.Phantom;
using SonoSynth.Metrics;
using SonoSynth.Tests.Data;

namespace SonoSynth.Tests.Cli;

/// <summary>`sonosynth classify info | metrics | ensemble | compare`: what each prints or writes, checked against hand-worked or published numbers.</summary>
[Collection(ConsoleCollection.Name)]
public class ClassifyCommandsTests
{
    [Fact]
    public void InfoGivesTorchvisionsParameterCountAndHead()
    {
        var result = InProcessCli.Run("classify", "info", "--arch", "resnet50", "--in-channels", "3", "--num-classes", "1000", "--image-size", "224", "--json");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(25_557_032, root.GetProperty("parameters").GetInt64()); // torchvision.models.resnet50: 25,557,032
        Assert.Equal(25_557_032, root.GetProperty("trainable_parameters").GetInt64());
        Assert.Equal(2048, root.GetProperty("feature_count").GetInt32());
        Assert.Equal("fc", root.GetProperty("head").GetString());
        Assert.Equal(2048 * 1000 + 1000, root.GetProperty("head_parameters").GetInt64());

        Assert.Equal(2, InProcessCli.Run("classify", "info", "--arch", "resnet51").ExitCode);
    }

    [Fact]
    public void MetricsReadsAHeaderWithClassNamesAsWellAsSlugs()
    {
        using var folder = new TempFolder();
        // What another tool (or a person) writes: class names in the header and in the columns.
        var named = folder.PathOf("named.csv");
        File.WriteAllText(named, """
            image,true,pred,p_Fetal brain,p_Other
            a.png,Fetal brain,Fetal brain,0.9,0.1
            b.png,Other,Fetal brain,0.6,0.4
            c.png,Other,Other,0.2,0.8
            d.png,Fetal brain,Other,0.3,0.7
            """);
        var result = InProcessCli.Run("classify", "metrics", "--predictions", named, "--json", "--bootstrap", "10");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(0.5, json.RootElement.GetProperty("accuracy").GetDouble());
        var classes = json.RootElement.GetProperty("per_class").EnumerateArray().ToList();
        Assert.Equal(["Fetal brain", "Other"], classes.Select(c => c.GetProperty("name").GetString()));
        // Each class: 1 of 2 predictions right, 1 of 2 images found.
        Assert.All(classes, c => Assert.Equal(0.5, c.GetProperty("precision").GetDouble()));
        Assert.All(classes, c => Assert.Equal(0.5, c.GetProperty("recall").GetDouble()));

        // The same file with slugs in the header (what 'classify train' writes) gives the same numbers.
        var slugged = folder.PathOf("slugged.csv");
        File.WriteAllText(slugged, File.ReadAllText(named).Replace("p_Fetal brain,p_Other", "p_fetal_brain,p_other"));
        using var again = JsonDocument.Parse(InProcessCli.Run("classify", "metrics", "--predictions", slugged, "--json", "--bootstrap", "10").Output);
        Assert.Equal(0.5, again.RootElement.GetProperty("accuracy").GetDouble());

        // A class that is in neither form is still refused, naming the line and the file's classes.
        File.WriteAllText(named, File.ReadAllText(named).Replace("d.png,Fetal brain", "d.png,Fetal femur"));
        var refused = InProcessCli.Run("classify", "metrics", "--predictions", named);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("line 5", refused.Unwrapped);
        Assert.Contains("(Fetal brain, Other)", refused.Unwrapped);
    }

    [Fact]
    public void EnsembleCombinationsVoteEverySubsetWithTheDocumentedTieRule()
    {
        using var folder = new TempFolder();
        // Four images of classes a, b, a, b; each model puts 0.8 on the class it predicts.
        string Write(string name, params int[] predicted)
        {
            int[] truth = [0, 1, 0, 1];
            var path = folder.PathOf(name);
            new PredictionTable(["a", "b"], predicted.Select((p, i) =>
                new PredictionRow($"x{i}.png", truth[i], p, p == 0 ? [0.8f, 0.2f] : [0.2f, 0.8f])).ToArray()).Write(path);
            return path;
        }
        var m1 = Write("m1.csv", 0, 1, 1, 1);
        var m2 = Write("m2.csv", 0, 0, 0, 1);
        var m3 = Write("m3.csv", 1, 1, 0, 0);

        var result = InProcessCli.Run("classify", "ensemble", "--predictions", m1, m2, m3, "--names", "m1", "m2", "m3", "--combinations", "2", "--json");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        var accuracy = json.RootElement.GetProperty("ensembles").EnumerateArray().ToDictionary(
            e => string.Join("+", e.GetProperty("members").EnumerateArray().Select(m => m.GetString())), e => e.GetProperty("accuracy").GetDouble());
        // Two members split 1:1 vote by mean probability (here 0.5 : 0.5), then the lower class index wins: a.
        // m1+m2: a ✓, tie→a ✗, tie→a ✓, b ✓.  m1+m3: tie→a ✓, b ✓, tie→a ✓, tie→a ✗.  m2+m3: tie→a ✓, tie→a ✗, a ✓, tie→a ✗.
        // All three: a ✓, b ✓, a ✓, b ✓.
        Assert.Equal(new Dictionary<string, double> { ["m1+m2"] = 0.75, ["m1+m3"] = 0.75, ["m2+m3"] = 0.5, ["m1+m2+m3"] = 1.0 }, accuracy);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void CompareFitsBothTableElevenMethodsOnFinishedRunsAndPredictsTheirTestImages()
    {
        using var folder = new TempFolder();
        var data = folder.PathOf("phantom");
        PhantomGenerator.Write(data, new PhantomOptions(PerClass: 6, ImageSize: 32, ImagesPerPatient: 2, Seed: 5));
        var synthetic = folder.PathOf("synthetic");
        PhantomGenerator.Write(synthetic, new PhantomOptions(PerClass: 3, ImageSize: 32, ImagesPerPatient: 1, Seed: 6));
        string Train(string name, params string[] extra)
        {
            var output = folder.PathOf(name);
            var run = InProcessCli.Run(["classify", "train", "--arch", "resnet18", "--data", data, "--epochs", "1", "--batch-size", "8",
                "--image-size", "16", "--augment", "none", "--threads", "2", "--out", output, .. extra]);
            Assert.True(run.ExitCode == 0, run.All);
            return output;
        }
        var realOnly = Train("real-only");
        // The mixed regime: one phase on the real training images and the synthetic ones together.
        var mixed = Train("mixed", "--regime", "mixed", "--synthetic", synthetic, "--seed", "1");
        using (var regime = JsonDocument.Parse(File.ReadAllText(Path.Combine(mixed, "regime.json"))))
        {
            Assert.Equal("mixed", regime.RootElement.GetProperty("regime").GetString());
            Assert.Equal(["mixed"], regime.RootElement.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        }
        var testImages = PredictionTable.Read(Path.Combine(realOnly, "predictions.csv"));

        foreach (var (method, extra) in new[] { ("stacked", new[] { "--trees", "5" }), ("feature-integration", new[] { "--mlp-epochs", "3" }) })
        {
            var output = folder.PathOf(method + ".csv");
            var result = InProcessCli.Run(["classify", "compare", "--method", method, "--runs", realOnly, mixed, "--out", output, "--threads", "2", .. extra]);
            Assert.True(result.ExitCode == 0, result.All);
            var predictions = PredictionTable.Read(output);
            Assert.Equal(testImages.Rows.Select(r => r.Image), predictions.Rows.Select(r => r.Image));
            Assert.Equal(testImages.TrueLabels, predictions.TrueLabels);
            Assert.Equal(testImages.ClassNames, predictions.ClassNames);
            Assert.Contains($"test accuracy {predictions.Accuracy:P2}", result.Unwrapped);
        }

        // Base models on different splits cannot be combined.
        var otherSplit = Train("other-split", "--split-seed", "3");
        var refused = InProcessCli.Run("classify", "compare", "--method", "stacked", "--runs", realOnly, otherSplit, "--out", folder.PathOf("x.csv"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("split_seed", refused.Unwrapped);
    }
}
