using System.CommandLine;
using SonoSynth.Cli.Commands.Quality;

namespace SonoSynth.Cli.Commands;

/// <summary>Quality of synthetic images (issue 6): `fid` (with `fid stats`) and `audit memorisation`.</summary>
public static class QualityCommands
{
    public static Command CreateFid() => FidCommand.Create();

    public static Command CreateAudit()
    {
        var audit = new Command("audit", "Audits of synthetic images beyond image quality.");
        audit.Subcommands.Add(MemorisationCommand.Create());
        return audit;
    }
}
