using System.Text;
using System.Text.RegularExpressions;

namespace SonoSynth.Tests;

/// <summary>
/// Which top-level folders of <c>src/SonoSynth</c> use which, read from the source: <c>using SonoSynth.X</c> lines,
/// fully qualified <c>SonoSynth.X.</c> names, and names qualified relative to the root namespace (<c>Imaging.GrayImage</c>
/// inside <c>namespace SonoSynth.Data</c>) that name a type or namespace declared under <c>SonoSynth.X</c>.
/// Comments and string literals are stripped first, so prose never counts as a dependency.
/// </summary>
internal sealed class SourceFolderGraph
{
    // One pass, leftmost first, so "//" inside a string and quotes inside a comment are both read right. Literals:
    // raw, verbatim, plain (interpolated ones too, roughly), and chars.
    private static readonly Regex CommentsAndStrings = new(
        @"(?<c>//[^\n]*|/\*.*?\*/)|(?<s>""""""[\s\S]*?""""""|\$?@""(?:[^""]|"""")*""|\$?""(?:[^""\\\n]|\\.)*""|'(?:[^'\\\n]|\\.)')",
        RegexOptions.Singleline | RegexOptions.Compiled);
    private static readonly Regex Namespace = new(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline | RegexOptions.Compiled);
    private static readonly Regex TypeDeclaration = new(
        @"\b(?:class|record|struct|interface|enum)\s+(?:class\s+|struct\s+)?([A-Z]\w*)", RegexOptions.Compiled);
    private static readonly Regex Qualified = new(@"\bSonoSynth\.(\w+)", RegexOptions.Compiled);

    private SourceFolderGraph(IReadOnlyList<string> folders, IReadOnlyDictionary<string, SortedSet<string>> uses,
        IReadOnlyDictionary<(string From, string To), string> evidence)
    {
        Folders = folders;
        Uses = uses;
        Evidence = evidence;
    }

    /// <summary>The top-level folders of the library, sorted.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>Folder → the other folders its files use.</summary>
    public IReadOnlyDictionary<string, SortedSet<string>> Uses { get; }

    /// <summary>One file (relative path) that makes each edge, for failure messages.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Evidence { get; }

    public static SourceFolderGraph Scan(string libraryRoot)
    {
        var folders = Directory.GetDirectories(libraryRoot).Select(path => Path.GetFileName(path))
            .Where(name => name is not ("bin" or "obj")).Order(StringComparer.Ordinal).ToList();
        var files = folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(libraryRoot, folder), "*.cs", SearchOption.AllDirectories)
                .Where(path => !IsBuildOutput(libraryRoot, path))
                .Select(path => (Folder: folder, Path: path, Code: StripCommentsAndStrings(File.ReadAllText(path)))))
            .ToList();

        // Types and sub-namespaces declared under SonoSynth.X, so "Imaging.GrayImage" can be told from "record.Data".
        var declared = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var ns = Namespace.Match(file.Code).Groups[1].Value.Split('.');
            if (ns.Length < 2 || ns[0] != "SonoSynth" || !declared.TryGetValue(ns[1], out var names)) continue;
            names.UnionWith(ns.Skip(2));
            foreach (Match type in TypeDeclaration.Matches(file.Code))
                if (ns.Length == 2) names.Add(type.Groups[1].Value);
        }

        var uses = folders.ToDictionary(f => f, _ => new SortedSet<string>(StringComparer.Ordinal));
        var evidence = new Dictionary<(string, string), string>();
        foreach (var file in files)
        {
            var targets = Qualified.Matches(file.Code).Select(m => m.Groups[1].Value).Where(declared.ContainsKey).ToHashSet();
            foreach (var folder in folders)
            {
                // Relative to the root namespace: "Imaging.ImageDecoder" but not "policy.Imaging" or "x.Data.Length".
                var relative = new Regex($@"(?<![\w.]){Regex.Escape(folder)}\.([A-Z]\w*)");
                if (relative.Matches(file.Code).Any(m => declared[folder].Contains(m.Groups[1].Value))) targets.Add(folder);
            }
            foreach (var target in targets.Where(t => t != file.Folder))
            {
                uses[file.Folder].Add(target);
                evidence.TryAdd((file.Folder, target), Path.GetRelativePath(libraryRoot, file.Path).Replace('\\', '/'));
            }
        }
        return new SourceFolderGraph(folders, uses.ToDictionary(p => p.Key, p => p.Value), evidence);
    }

    /// <summary>The graph as a Mermaid flowchart: one node per folder, one arrow per "uses".</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder("flowchart TD\n");
        foreach (var folder in Folders)
        {
            text.Append("    ").Append(folder).Append('\n');
            foreach (var target in Uses[folder]) text.Append("    ").Append(folder).Append(" --> ").Append(target).Append('\n');
        }
        return text.ToString();
    }

    private static bool IsBuildOutput(string root, string path)
    {
        var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    private static string StripCommentsAndStrings(string code) =>
        CommentsAndStrings.Replace(code, m => m.Groups["c"].Success ? " " : "\"\"");
}
