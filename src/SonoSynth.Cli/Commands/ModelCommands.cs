using System.CommandLine;
using SonoSynth.Cli.Commands.Model;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth model ...`: trained models as files: inspect, export to PyTorch, import from PyTorch.</summary>
public static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Trained models as files: show what a model is, export it for PyTorch, import PyTorch weights.");
        model.Subcommands.Add(ModelInfoCommand.Create());
        model.Subcommands.Add(ModelExportCommand.Create());
        model.Subcommands.Add(ModelImportCommand.Create());
        return model;
    }
}
