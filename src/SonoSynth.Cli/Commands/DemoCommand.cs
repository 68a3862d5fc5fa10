using System.CommandLine;
using System.Reflection;
using SonoSynth.Cli.Commands.Experiment;
using SonoSynth.Experiments;
using SonoSynth.Experiments.Sections;
using Spectre.Console;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth demo`: the whole pipeline at CPU scale on freshly generated phantom data.</summary>
public static class DemoCommand
{
    public static Command Create() => Create(DemoConfigText);

    /// <summary>The verb running the config <paramref name="configText"/> gives; tests pass a smaller one to check the plumbing quickly.</summary>
    internal static Command Create(Func<string> configText)
    {
        var output = new Option<string>("--out") { Description = "Where the demo writes its cells and report.", DefaultValueFactory = _ => "runs/demo" };
        var threads = SharedOptions.Threads();
        var command = new Command("demo",
            "Run the paper's pipeline end to end on built-in phantom data at CPU scale (about 10 minutes on 2 cores): phantom data → " +
            "diffusion U-Net → noise-aware classifier → classifier-free and classifier-guided sampling → a judge trained on real images only scores " +
            "whether the synthetic images carry their class → classifiers trained real-only and pretrained on the synthetic set → " +
            "report ('Does it work?'). Its config, with why each setting was chosen, is configs/demo.yaml; rerunning resumes.")
        { output, threads };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            CommandAction.ConfigureThreads(parse.GetValue(threads));
            var text = configText();
            var config = ExperimentConfigLoader.Parse(text, "configs/demo.yaml");
            AnsiConsole.MarkupLine($"[bold]SonoSynth demo[/]: {Markup.Escape(config.Scale)}");
            var folder = parse.GetValue(output)!;
            int exitCode = ExperimentRunner.Run(config, text, folder, "cpu");
            foreach (var (study, findings) in EvidenceSection.Findings(config, folder))
            {
                AnsiConsole.MarkupLine($"[bold]Does it work?[/] {Markup.Escape(study)}");
                foreach (var finding in findings) AnsiConsole.MarkupLine($"  - {Markup.Escape(finding)}");
            }
            return exitCode;
        }));
        return command;
    }

    /// <summary>configs/demo.yaml, embedded in the tool so the demo runs from any folder.</summary>
    public static string DemoConfigText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("demo.yaml")
            ?? throw new InvalidOperationException("The demo config is missing from the build (configs/demo.yaml).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
