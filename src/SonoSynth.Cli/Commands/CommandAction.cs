using SonoSynth.IO;
using SonoSynth.Runtime;
using Spectre.Console;

namespace SonoSynth.Cli.Commands;

/// <summary>
/// Runs a command body and turns failures into a clear message and exit code:
/// 2 for bad input (<see cref="InputError"/>, bad arguments, missing files, unwritable or full disks), 1 for anything else.
/// </summary>
public static class CommandAction
{
    public static int Run(Func<int> body)
    {
        // Spectre caches the Console.Out it first saw; bind it to the current one so output (and tests that
        // capture Console.Out) always get what this command prints.
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        try
        {
            return body();
        }
        catch (Exception e) when (DiskFullException.IsRaw(e))
        {
            // A write that did not go through AtomicFile (an append, a library's own file): name it and say what to do.
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(new DiskFullException(null, e, e.Message + ". ").Message)}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)} Check the permissions of that path, or choose another output folder.");
            return 2;
        }
        catch (Exception e) when (e is InputError or ArgumentException or FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return 2;
        }
        catch (Exception e)
        {
            AnsiConsole.MarkupLine($"[red]failed:[/] {Markup.Escape(e.Message)}");
            if (Environment.GetEnvironmentVariable("SONOSYNTH_DEBUG") == "1")
                System.Console.Error.WriteLine(e);
            else
                AnsiConsole.MarkupLine("[grey](set SONOSYNTH_DEBUG=1 for the stack trace)[/]");
            return 1;
        }
    }

    /// <summary>Applies the shared --threads option before any tensor work.</summary>
    public static void ConfigureThreads(int threads) => TorchRuntime.SetThreads(threads);
}
