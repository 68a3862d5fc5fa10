using System.CommandLine;
using SonoSynth.Cli.Commands.Diffusion;

namespace SonoSynth.Cli.Commands;

/// <summary>`sonosynth diffusion ...`: the generative half of the paper (ADM U-Net, noise-aware classifier, sampling).</summary>
public static class DiffusionCommands
{
    public static Command Create()
    {
        var group = new Command("diffusion",
            "Train the ADM diffusion U-Net and its noise-aware classifier, and generate synthetic images with DDPM/DDIM " +
            "and classifier or classifier-free guidance (guided-diffusion, Dhariwal & Nichol 2021).");
        group.Subcommands.Add(DiffusionInfoCommand.Create());
        group.Subcommands.Add(DiffusionTrainCommand.Create());
        group.Subcommands.Add(DiffusionTrainClassifierCommand.Create());
        group.Subcommands.Add(DiffusionSampleCommand.Create());
        group.Subcommands.Add(DiffusionImportCommand.Create());
        group.Subcommands.Add(DiffusionExportCommand.Create());
        return group;
    }
}
