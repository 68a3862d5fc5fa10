using System.CommandLine;
using SonoSynth.Cli.Commands.Classify;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth classify ...`: the downstream plane classifiers (architectures, training, metrics).</summary>
public static class ClassifyCommands
{
    public static Command Create()
    {
        var classify = new Command("classify",
            "Fetal-plane classifiers: resnet50, densenet169, vit_b_32, swin_t, medmamba_t (torchvision names).");
        classify.Subcommands.Add(InfoCommand.Create());
        classify.Subcommands.Add(TrainCommand.Create());
        classify.Subcommands.Add(MetricsCommand.Create());
        classify.Subcommands.Add(EnsembleCommand.Create());
        classify.Subcommands.Add(CompareCommand.Create());
        classify.Subcommands.Add(PredictCommand.Create());
        return classify;
    }
}
