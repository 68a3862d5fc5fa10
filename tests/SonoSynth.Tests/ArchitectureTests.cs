using System.Text.RegularExpressions;

namespace SonoSynth.Tests;

/// <summary>
/// docs/architecture.md is the map of the library: its diagram is generated from the source by
/// <see cref="SourceFolderGraph"/>, and its "Never depends on" lines are the rules these tests enforce.
/// After moving code, regenerate the diagram with <c>SONOSYNTH_WRITE_ARCHITECTURE=1 dotnet test --filter ArchitectureTests</c>.
/// </summary>
public class ArchitectureTests
{
    private const string DiagramStart = "```mermaid\n";
    private static readonly Regex FolderHeading = new(@"^### `(\w+)/`\s*$", RegexOptions.Multiline);
    private static readonly Regex NeverLine = new(@"^\*\*Never depends on:\*\* (.+?)\.?\s*$", RegexOptions.Multiline);

    private static string DocPath => Repository.PathOf("docs", "architecture.md");
    private static SourceFolderGraph Graph { get; } = SourceFolderGraph.Scan(Repository.PathOf("src", "SonoSynth"));

    [Fact]
    public void NoFolderUsesOneItMustNever()
    {
        var rules = ReadRules(File.ReadAllText(DocPath));
        var broken = (from rule in rules
                      from forbidden in rule.Value
                      where Graph.Uses.TryGetValue(rule.Key, out var uses) && uses.Contains(forbidden)
                      select $"{rule.Key} uses {forbidden} (e.g. {Graph.Evidence[(rule.Key, forbidden)]})").ToList();
        Assert.True(broken.Count == 0, "docs/architecture.md forbids these dependencies:\n" + string.Join("\n", broken) +
            "\nMove the code to a folder that may depend on it, or pass the value in from the caller.");
    }

    [Fact]
    public void EveryFolderHasAParagraphAndRules()
    {
        var doc = File.ReadAllText(DocPath);
        var documented = FolderHeading.Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();
        var rules = ReadRules(doc);
        Assert.Empty(Graph.Folders.Except(documented));            // a new folder needs a paragraph
        Assert.Empty(documented.Except(Graph.Folders));            // a removed folder must leave the doc
        Assert.Empty(Graph.Folders.Except(rules.Keys));            // ... and its rules
        foreach (var (folder, forbidden) in rules)
            Assert.True(forbidden.All(Graph.Folders.Contains), $"{folder}'s rule names an unknown folder: {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void TheDiagramIsGeneratedFromTheSource()
    {
        var doc = File.ReadAllText(DocPath).ReplaceLineEndings("\n");
        int start = doc.IndexOf(DiagramStart, StringComparison.Ordinal) + DiagramStart.Length;
        int end = doc.IndexOf("```", start, StringComparison.Ordinal);
        Assert.True(start >= DiagramStart.Length && end > start, "docs/architecture.md has no ```mermaid block.");
        var generated = Graph.ToMermaid();
        if (Environment.GetEnvironmentVariable("SONOSYNTH_WRITE_ARCHITECTURE") == "1")
            File.WriteAllText(DocPath, doc[..start] + generated + doc[end..]);
        else
            Assert.True(doc[start..end] == generated, "docs/architecture.md's diagram is out of date. Regenerate it with " +
                "SONOSYNTH_WRITE_ARCHITECTURE=1 dotnet test tests/SonoSynth.Tests --filter ArchitectureTests, and review the change.\n" +
                "Generated:\n" + generated);
    }

    [Fact]
    public void FoldersFormNoCycles()
    {
        var cycles = (from folder in Graph.Folders
                      from target in Graph.Uses[folder]
                      where string.CompareOrdinal(folder, target) < 0 && Graph.Uses[target].Contains(folder)
                      select $"{folder} ⇄ {target} (e.g. {Graph.Evidence[(folder, target)]} and {Graph.Evidence[(target, folder)]})")
            .Concat(LongerCycles()).ToList();
        Assert.True(cycles.Count == 0, "The folders use each other in a circle:\n" + string.Join("\n", cycles) +
            "\nMove the shared piece to a folder both may use, or let the caller pass it in.");
    }

    /// <summary>
    /// Edges broken on purpose (issue 16), checked here as well as by the "Never depends on" lines so that a later edit
    /// of the document cannot quietly allow them again: weights and run folders reach Inference and Ensembles from
    /// Training's side, and --init-from weights reach Diffusion from the caller.
    /// </summary>
    [Theory]
    [InlineData("Inference", "Training")]
    [InlineData("Ensembles", "Training")]
    [InlineData("Diffusion", "Interop")]
    public void BrokenEdgesStayBroken(string from, string to) =>
        Assert.False(Graph.Uses[from].Contains(to), $"{from} uses {to} again (e.g. {Graph.Evidence.GetValueOrDefault((from, to))}).");

    [Fact]
    public void TheReadmeLayoutNamesEveryFolder()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md"));
        var layout = readme[readme.IndexOf("## Layout", StringComparison.Ordinal)..];
        Assert.All(Graph.Folders, folder => Assert.Contains($"`{folder}`", layout));
    }

    [Fact]
    public void TheScannerSeesImportsAndQualifiedNamesButNotProse()
    {
        using var folder = new TempFolder();
        void Write(string relative, string code)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(folder.PathOf(relative))!);
            File.WriteAllText(folder.PathOf(relative), code);
        }
        Write("Alpha/A.cs", "namespace SonoSynth.Alpha;\npublic sealed class A {}\n");
        Write("Beta/Inner/B.cs", "namespace SonoSynth.Beta.Inner;\npublic sealed class B {}\n");
        Write("Beta/Top.cs", "namespace SonoSynth.Beta;\npublic sealed record Top(int Data);\n");
        Write("Gamma/G.cs", "namespace SonoSynth.Gamma;\nclass G { object x = Alpha.A.Create(); }\n");            // relative
        Write("Delta/D.cs", "using SonoSynth.Beta.Inner;\nnamespace SonoSynth.Delta;\nclass D {}\n");           // using
        Write("Omega/O.cs", "namespace SonoSynth.Omega;\n// uses SonoSynth.Alpha\nclass O { string s = \"SonoSynth.Beta.Top\"; " +
            "int n = top.Alpha.Count + Gamma.Missing; }\n");                                                          // prose, members
        var graph = SourceFolderGraph.Scan(folder.Path);
        Assert.Equal(new[] { "Alpha", "Beta", "Delta", "Gamma", "Omega" }, graph.Folders);
        Assert.Equal(new[] { "Alpha" }, graph.Uses["Gamma"]);
        Assert.Equal(new[] { "Beta" }, graph.Uses["Delta"]);
        Assert.Empty(graph.Uses["Omega"]);
        Assert.Contains("Gamma --> Alpha", graph.ToMermaid());
    }

    /// <summary>Cycles through three or more folders (two-folder ones are found above), as "A → B → C → A".</summary>
    private static List<string> LongerCycles()
    {
        var found = new List<string>();
        foreach (var start in Graph.Folders)
        {
            var path = new List<string> { start };
            void Walk(string at)
            {
                foreach (var next in Graph.Uses[at])
                {
                    if (next == start && path.Count >= 3) found.Add(string.Join(" → ", path.Append(start)));
                    // Each cycle once: start at its smallest folder.
                    else if (!path.Contains(next) && string.CompareOrdinal(next, start) > 0) { path.Add(next); Walk(next); path.RemoveAt(path.Count - 1); }
                }
            }
            Walk(start);
        }
        return found;
    }

    /// <summary>Folder → the folders its "Never depends on" line (under the folder's heading) forbids.</summary>
    private static Dictionary<string, string[]> ReadRules(string doc)
    {
        var headings = FolderHeading.Matches(doc).ToList();
        var rules = new Dictionary<string, string[]>();
        for (int i = 0; i < headings.Count; i++)
        {
            int end = i + 1 < headings.Count ? headings[i + 1].Index : doc.Length;
            var section = doc[headings[i].Index..end];
            var line = NeverLine.Match(section);
            if (!line.Success) continue;
            var folder = headings[i].Groups[1].Value;
            // "any other folder", or the folders named in backticks (none: the folder may use every other one).
            rules[folder] = line.Groups[1].Value.StartsWith("any other folder", StringComparison.Ordinal)
                ? [.. Graph.Folders.Where(f => f != folder)]
                : [.. Regex.Matches(line.Groups[1].Value, @"`(\w+)/?`").Select(m => m.Groups[1].Value)];
        }
        return rules;
    }
}
