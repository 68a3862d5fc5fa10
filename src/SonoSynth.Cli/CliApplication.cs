using System.CommandLine;
using SonoSynth.Cli.Commands;

namespace SonoSynth.Cli;

/// <summary>Builds the `sonosynth` command tree. Each domain contributes one command group.</summary>
public static class CliApplication
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "SonoSynth: pretrain fetal-ultrasound plane classifiers on diffusion-generated images " +
            "(Tian et al., 2025). Start with 'sonosynth demo'; every verb has --help.");
        foreach (var group in CommandGroups())
            root.Subcommands.Add(group);
        return root;
    }

    // One line per domain; each group lives in Commands/<Domain>Commands.cs.
    private static IEnumerable<Command> CommandGroups()
    {
        yield return DataCommands.Create();
        yield return CurateCommands.Create();
        yield return QualityCommands.CreateFid();
        yield return QualityCommands.CreateAudit();
        yield return ClassifyCommands.Create();
        yield return ModelCommands.Create();
    }

    public static int Run(string[] args) => BuildRoot().Parse(args).Invoke();
}
