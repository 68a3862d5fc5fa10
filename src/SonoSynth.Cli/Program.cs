using SonoSynth.Cli;

return CliApplication.Run(args);
