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
    private static readonly Regex KnownCycleLine = new(@"^\*\*Known cycle:\*\* `(\w+)` ⇄ `(\w+)`", RegexOptions.Multiline);

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
    public void OnlyTheKnownCyclesExist()
    {
        var known = KnownCycleLine.Matches(File.ReadAllText(DocPath))
            .Select(m => Pair(m.Groups[1].Value, m.Groups[2].Value)).ToHashSet();
        var cycles = (from folder in Graph.Folders
                      from target in Graph.Uses[folder]
                      where string.CompareOrdinal(folder, target) < 0 && Graph.Uses[target].Contains(folder)
                      select Pair(folder, target)).ToHashSet();
        var longer = LongerCycles();
        Assert.True(cycles.SetEquals(known) && longer.Count == 0,
            $"Two-folder cycles now: {string.Join(", ", cycles)}; listed as known in docs/architecture.md: {string.Join(", ", known)}. " +
            $"Longer cycles: {string.Join("; ", longer)}. Break a new cycle; when a known one is broken, delete its line.");
    }

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

    /// <summary>Cycles through three or more folders (two-folder ones are listed by name above), as "A → B → C → A".</summary>
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

    private static string Pair(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a} ⇄ {b}" : $"{b} ⇄ {a}";

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
