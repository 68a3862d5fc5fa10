using System.CommandLine;
using SonoSynth.Cli.Console;
using SonoSynth.Inference;
using SonoSynth.Models;
using SonoSynth.Training;
using Spectre.Console;

namespace SonoSynth.Cli.Commands.Model;

/// <summary><c>sonosynth model info</c>: what a model file or run folder holds (architecture, classes, preprocessing, provenance).</summary>
public static class ModelInfoCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A .sonomodel file or a 'classify train' output folder.", Required = true };
        var json = SharedOptions.Json();
        var command = new Command("info", "Show a model's architecture, classes, preprocessing and provenance.\nExample: sonosynth model info --model runs/r50-s0")
        { model, json };
        command.SetAction(parse => CommandAction.Run(() =>
        {
            using var bundle = TrainedModel.Load(parse.GetValue(model)!);
            var info = bundle.Info;
            if (parse.GetValue(json))
            {
                JsonOutput.Print(info);
                return 0;
            }
            var (total, _) = ClassifierRegistry.CountParameters(bundle.Model);
            var table = new Table().AddColumns("", "");
            table.AddRow("architecture", Markup.Escape($"{info.Architecture} ({ClassifierRegistry.Describe(info.Architecture)})"));
            table.AddRow("parameters", $"{total:N0}");
            table.AddRow("input", $"{info.InChannels} channel, {info.ImageSize}x{info.ImageSize}, pixels / {info.Preprocessing.ScaleDivisor}");
            table.AddRow("classes", Markup.Escape(string.Join(", ", info.ClassNames)));
            table.AddRow("source", Markup.Escape(info.Provenance.Source));
            table.AddRow("created (UTC)", info.Provenance.CreatedUtc.ToString("u"));
            foreach (var (key, value) in info.Provenance.Details) table.AddRow(Markup.Escape(key), Markup.Escape(value));
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
