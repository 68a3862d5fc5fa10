using System.CommandLine;
using SonoSynth.Cli.Commands;

namespace SonoSynth.Cli;

/// <summary>Builds the `sonosynth` command tree. Each domain contributes one command group.</summary>
public static class CliApplication
{
    public static Command BuildRoot()
    {
        // A plain command named "sonosynth" (RootCommand would take the assembly's name, SonoSynth.Cli, for usage lines).
        var root = new Command("sonosynth",
            "SonoSynth: pretrain fetal-ultrasound plane classifiers on diffusion-generated images " +
            "(Tian et al., 2025). Start with 'sonosynth demo'; every verb has --help.");
        root.Options.Add(new System.CommandLine.Help.HelpOption());
        root.Options.Add(new VersionOption());
        foreach (var group in CommandGroups())
            root.Subcommands.Add(group);
        return root;
    }

    // One line per domain; each group lives in Commands/<Domain>Commands.cs.
    private static IEnumerable<Command> CommandGroups()
    {
        yield return DemoCommand.Create();
        yield return DataCommands.Create();
        yield return DiffusionCommands.Create();
        yield return ClassifyCommands.Create();
        yield return QualityCommands.CreateFid();
        yield return QualityCommands.CreateAudit();
        yield return CurateCommands.Create();
        yield return ModelCommands.Create();
        yield return ExperimentCommands.Create();
    }

    /// <summary>Runs the command line; a parse error (a mistyped option or verb) is bad input, so it exits with 2 like the others.</summary>
    public static int Run(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        int code = parse.Invoke(); // with errors, this prints them and the verb's help
        return parse.Errors.Count > 0 ? 2 : code;
    }
}
