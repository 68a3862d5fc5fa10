namespace SonoSynth.Tests.Cli;

/// <summary>What every verb shares: the documented exit codes for bad input (README: "Bad input exits with code 2").</summary>
[Collection(ConsoleCollection.Name)]
public class CliApplicationTests
{
    [Theory]
    [InlineData("--epoch", "classify", "train", "--epoch", "3")]                 // a mistyped option (--epochs)
    [InlineData("--splitt", "data", "stats", "--data", "x", "--splitt", "random")]
    [InlineData("REAL", "fid", "a.npz")]                                          // a missing argument
    [InlineData("difusion", "difusion", "info")]                                   // a mistyped verb
    public void ParseErrorsAreBadInputAndExitWithTwo(string named, params string[] args)
    {
        var result = InProcessCli.Run(args);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}:\n{result.All}");
        Assert.Contains(named, result.All); // the message names what is wrong
    }

    [Fact]
    public void HelpAndVersionExitWithZero()
    {
        Assert.Equal(0, InProcessCli.Run("--help").ExitCode);
        Assert.Equal(0, InProcessCli.Run("classify", "train", "--help").ExitCode);
        Assert.Equal(0, InProcessCli.Run("--version").ExitCode);
    }
}
