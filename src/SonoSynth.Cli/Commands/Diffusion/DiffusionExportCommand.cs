using System.CommandLine;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Training;
using SonoSynth.TrainingKit;
using SonoSynth.Interop;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Diffusion;

/// <summary>`diffusion export`: a trained U-Net or noise-aware classifier as a PyTorch state dict with guided-diffusion's key names.</summary>
public static class DiffusionExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "checkpoint.bin of a trained U-Net ('diffusion train') or noise-aware classifier ('diffusion train-classifier').", Required = true };
        var output = new Option<string>("--out") { Description = "Output file, e.g. unet.pt.", Required = true };
        var rawWeights = new Option<bool>("--raw-weights") { Description = "Export the raw weights instead of the EMA weights." };
        var command = new Command("export", "Write a trained U-Net or noise-aware classifier as torch.save(state_dict) with guided-diffusion's " +
            "key names, so guided_diffusion.unet.UNetModel / EncoderUNetModel built with the same flags loads it strictly (the flags are printed).\n" +
            "Example: sonosynth diffusion export --model runs/unet/checkpoint.bin --out unet.pt")
        { model, output, rawWeights };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            var path = parse.GetValue(output)!;
            var kind = CheckpointFile.Load<CheckpointKind>(parse.GetValue(model)!).Kind;
            if (kind == NoiseClassifierTrainer.KindName)
            {
                var (classifier, classifierHeader) = NoiseClassifierTrainer.Load(parse.GetValue(model)!);
                using var classifierScope = classifier;
                StateDictFile.Write(classifier, path);
                AnsiConsole.MarkupLine($"Wrote the noise-aware classifier after {classifierHeader.Step} steps to [blue]{Markup.Escape(path)}[/].");
                PrintFlags(ClassifierFlags(classifierHeader.Config));
                return 0;
            }
            bool useEma = !parse.GetValue(rawWeights);
            var (unet, header) = DiffusionCheckpoint.Load(parse.GetValue(model)!, useEma);
            using var scope = unet;
            StateDictFile.Write(unet, path);
            AnsiConsole.MarkupLine($"Wrote the {Markup.Escape(header.DescribeWeights(useEma))} to [blue]{Markup.Escape(path)}[/].");
            PrintFlags(UNetFlags(header.Config));
            AnsiConsole.WriteLine("Class indices: " + string.Join(", ", header.ClassNames.Select((name, i) => $"{i} {name}")));
            return 0;
        }));
        return command;
    }

    // Plain stdout, so the line is never wrapped and can be pasted into guided-diffusion's scripts.
    private static void PrintFlags(IEnumerable<string> flags) => System.Console.Out.WriteLine("guided-diffusion flags: " + string.Join(" ", flags));

    private static IEnumerable<string> UNetFlags(UNetConfig c) =>
    [
        $"--image_size {c.ImageSize}", $"--num_channels {c.ModelChannels}", $"--num_res_blocks {c.ResBlocksPerLevel}",
        $"--channel_mult {string.Join(",", c.ChannelMultipliers)}", $"--attention_resolutions {string.Join(",", c.AttentionResolutions)}",
        $"--num_heads {c.HeadCount}", $"--num_head_channels {c.HeadChannels}", $"--use_scale_shift_norm {c.UseScaleShiftNorm}",
        $"--resblock_updown {c.ResBlockUpDown}", $"--use_new_attention_order {c.NewAttentionOrder}", $"--learn_sigma {c.LearnSigma}",
        $"--class_cond {c.ClassCount > 0}", $"--dropout {c.Dropout}", $"(in_channels {c.InChannels}, num_classes {c.LabelEmbeddingRows})",
    ];

    private static IEnumerable<string> ClassifierFlags(NoiseClassifierConfig k) =>
    [
        $"--image_size {k.ImageSize}", $"--classifier_width {k.ModelChannels}", $"--classifier_depth {k.ResBlocksPerLevel}",
        $"--channel_mult {string.Join(",", k.ChannelMultipliers)}", $"--classifier_attention_resolutions {string.Join(",", k.AttentionResolutions)}",
        $"--num_head_channels {k.HeadChannels}", $"--classifier_use_scale_shift_norm {k.UseScaleShiftNorm}",
        $"--classifier_resblock_updown {k.ResBlockUpDown}", $"--classifier_pool {NoiseClassifierConfig.PoolFlag(k.Pool)}",
        $"(in_channels {k.InChannels}, out_channels {k.ClassCount})",
    ];

    private sealed record CheckpointKind(string Kind);
}
