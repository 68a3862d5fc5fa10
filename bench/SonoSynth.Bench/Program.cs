using SonoSynth.Bench;

// Benchmarks (not tests): each prints one JSON line per measurement, the same form as bench/peer/torch_peer.py,
// so bench/run.sh can put SonoSynth and PyTorch side by side. Usage:
//   dotnet run -c Release --project bench/SonoSynth.Bench -- classifiers --models resnet50,densenet169 --threads 2
//   ... -- diffusion | sampling | fid | memory-train | memory-sample | scaling
return BenchCommands.Run(args);
