using System.Diagnostics;
using System.Text.Json;
using SonoSynth.Data;
using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Sampling;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Diffusion.Training;
using SonoSynth.Models;
using SonoSynth.Quality.Features;
using SonoSynth.TrainingKit;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Bench;

public static class BenchCommands
{
    public static int Run(string[] args)
    {
        var options = BenchOptions.Parse(args);
        torch.set_num_threads(options.Threads);
        torch.manual_seed(0);
        switch (options.Command)
        {
            case "classifiers": Classifiers(options); break;
            case "diffusion": Diffusion(options); break;
            case "sampling": Sampling(options); break;
            case "fid": Fid(options); break;
            case "scan": Scan(options); break;
            case "unet-memory": UNetMemory(options); break;
            case "memory-train": MemoryTrain(options); break;
            case "memory-sample": MemorySample(options); break;
            case "scaling": Scaling(options); break;
            case "layers": Layers(options); break;
            case "matmul": Matmul(options); break;
            case "plot-memory": BenchPlots.Memory(args); break;
            case "plot-scaling": BenchPlots.Scaling(args); break;
            default:
                Console.Error.WriteLine("commands: classifiers, diffusion, sampling, fid, scan, unet-memory, memory-train, memory-sample, scaling, layers, matmul, plot-memory, plot-scaling");
                return 2;
        }
        return 0;
    }

    /// <summary>Wall-clock and process CPU seconds of one step.</summary>
    private readonly record struct Timing(double Seconds, double CpuSeconds);

    /// <summary>
    /// Medians of <paramref name="repeats"/> calls after <paramref name="warmup"/> untimed ones. CPU time is the
    /// process's (all threads): on a machine shared with other work it moves less than wall time.
    /// </summary>
    private static Timing Timed(Action step, int warmup, int repeats)
    {
        for (int i = 0; i < warmup; i++) step();
        var times = new List<double>();
        var cpuTimes = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            step();
            times.Add(clock.Elapsed.TotalSeconds);
            process.Refresh();
            cpuTimes.Add((process.TotalProcessorTime - cpu).TotalSeconds);
        }
        times.Sort();
        cpuTimes.Sort();
        return new Timing(times[times.Count / 2], cpuTimes[cpuTimes.Count / 2]);
    }

    private static void Report(string name, Timing timing, int images, BenchOptions options, object? extra = null)
    {
        var record = new Dictionary<string, object?>
        {
            ["name"] = name, ["peer"] = "sonosynth", ["torch"] = "libtorch 2.10 (TorchSharp 0.107)", ["threads"] = options.Threads,
            ["batch"] = images, ["size"] = options.Size, ["median_s"] = timing.Seconds, ["cpu_s"] = timing.CpuSeconds,
            ["images_per_s"] = images / timing.Seconds, ["extra"] = extra,
        };
        Console.WriteLine(JsonSerializer.Serialize(record));
    }

    private static void Classifiers(BenchOptions options)
    {
        foreach (var name in options.Models)
        {
            using var model = ClassifierRegistry.Create(name, new ClassifierConfig(1, 6, options.Size));
            var optimizer = optim.Adam(model.parameters(), 1e-4);
            using var contiguous = rand(options.Batch, 1, options.Size, options.Size);
            // --channels-last: NHWC strides (libtorch then picks oneDNN's channels-last convolutions); TorchSharp has no memory_format.
            using var images = options.ChannelsLast ? contiguous.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : contiguous.alias();
            using var labels = randint(0, 6, [options.Batch]);
            model.train();
            var seconds = Timed(() =>
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(images), labels);
                loss.backward();
                optimizer.step();
            }, options.Warmup, options.Repeats);
            string variant = options.ChannelsLast ? "-channels-last" : "";
            Report(name + variant + "/train", seconds, options.Batch, options);
            model.eval();
            seconds = Timed(() =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = inference_mode();
                model.call(images);
            }, options.Warmup, options.Repeats);
            Report(name + variant + "/infer", seconds, options.Batch, options);
        }
    }

    private static void Diffusion(BenchOptions options)
    {
        foreach (var preset in options.Presets)
        {
            var config = UNetConfig.Preset(preset) with { ClassCount = 6 };
            using var model = new UNetModel(config);
            int size = config.ImageSize;
            using var x = randn(options.Batch, 1, size, size);
            using var t = randint(0, 1000, [options.Batch]);
            using var y = randint(0, 6, [options.Batch]);
            if (preset != "adm128")
            {
                var optimizer = optim.AdamW(model.parameters(), 1e-4, weight_decay: 0);
                var seconds = Timed(() =>
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    var noise = randn_like(x);
                    var loss = nn.functional.mse_loss(model.call(x, t, y), noise);
                    loss.backward();
                    optimizer.step();
                }, options.Warmup, options.Repeats);
                Report($"unet-{preset}/train", seconds, options.Batch, options with { Size = size });
            }
            model.eval();
            var forward = Timed(() =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = inference_mode();
                model.call(x, t, y);
            }, options.Warmup, options.Repeats);
            Report($"unet-{preset}/forward", forward, options.Batch, options with { Size = size });
        }
    }

    /// <summary>
    /// Peak resident memory and step time of U-Net training (AdamW, the training loss of `diffusion train`, random t and
    /// labels) for one preset and batch, with or without --use-checkpoint. After the timed steps, one more step is
    /// measured by phase: the steady state (weights, gradients, AdamW's moments) is the resident memory before it, once
    /// the GC has finalised what it still holds; the kernel's peak counter (/proc/self/clear_refs) is reset before the
    /// forward + backward pass and again before the optimizer's update, so each phase's memory above the steady state
    /// is its own. Run with MALLOC_MMAP_THRESHOLD_=131072 so freed tensors leave resident memory at once.
    /// </summary>
    private static void UNetMemory(BenchOptions options)
    {
        var preset = options.Presets[0];
        var config = UNetConfig.Preset(preset) with { ClassCount = 6, UseCheckpoint = options.UseCheckpoint };
        using var model = new UNetModel(config);
        // The optimizer `diffusion train` uses (each parameter's update in its own scope); --torchsharp-adamw: TorchSharp's own.
        using optim.Optimizer optimizer = options.TorchSharpAdamW ? optim.AdamW(model.parameters(), 1e-4, weight_decay: 0)
            : new SonoSynth.TrainingKit.AdamW(model.parameters(), 1e-4, 0);
        int size = config.ImageSize;
        using var x = randn(options.Batch, 1, size, size);
        using var t = randint(0, 1000, [options.Batch]);
        using var y = randint(0, 6, [options.Batch]);
        // The training loss of `diffusion train`: ε-MSE, plus the variational bound when the preset learns Σ (adm128 does).
        var schedule = NoiseSchedule.Create(NoiseScheduleKind.Linear);
        void ForwardBackward()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var noise = randn_like(x);
            var xt = schedule.QSample(x, t, noise);
            DiffusionLoss.Compute(schedule, config.LearnSigma, model.call(xt, t, y), x, xt, t, noise).Loss.mean().backward();
        }
        void Step()
        {
            ForwardBackward();
            using var scope = NewDisposeScope();
            optimizer.step();
        }
        for (int i = 0; i < Math.Max(1, options.Warmup); i++) Step();
        var timing = Timed(Step, 0, options.Repeats);
        // One more step, measured by phase: the peak of forward + backward, then of the optimizer's update.
        FinaliseGarbage();
        var steady = ResidentMiB("VmRSS");
        ResetPeak();
        ForwardBackward();
        var backwardPeak = ResidentMiB("VmHWM");
        ResetPeak();
        using (var scope = NewDisposeScope()) optimizer.step();
        var optimizerPeak = ResidentMiB("VmHWM");
        var peak = Math.Max(backwardPeak, optimizerPeak);
        Report($"unet-{preset}/train{(options.UseCheckpoint ? "-checkpoint" : "")}", timing, options.Batch, options with { Size = size },
            new { steady_rss_mib = steady, peak_rss_mib = peak, step_mib = peak - steady, forward_backward_mib = backwardPeak - steady,
                optimizer_mib = optimizerPeak - steady, parameters = model.ParameterCount() });
    }

    /// <summary>Resets the kernel's peak resident size (VmHWM) of this process to the current one.</summary>
    private static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static void FinaliseGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>A memory line of /proc/self/status (VmRSS, VmHWM = peak RSS) in MiB: "VmHWM:\t  123456 kB".</summary>
    private static double ResidentMiB(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    private static void Sampling(BenchOptions options)
    {
        var config = UNetConfig.CpuTiny with { ClassCount = 6 };
        using var model = new UNetModel(config);
        model.eval();
        var generator = new ImageGenerator(model, new SamplingOptions(SamplerKind.Ddim, "ddim25", BatchSize: options.Batch));
        var seeds = Enumerable.Range(0, options.Batch).Select(i => (long)i).ToArray();
        using var labels = tensor(seeds.Select(s => s % 6).ToArray());
        var seconds = Timed(() => { using var images = generator.Generate(labels, seeds); }, 1, options.Repeats);
        Report("sampling-cpu-tiny-ddim25", seconds, options.Batch, options with { Size = config.ImageSize });
    }

    /// <summary>
    /// The selective scan alone (forward, and forward + backward) at MedMamba-T's four stage shapes for
    /// --batch and --size: 4 directions, 16 states, D = 96·2^i channels, L = (size/4/2^i)² steps, with MedMamba's
    /// initial Δ (softplus of bias ≈ 0.001..0.1) and A = -(1..16).
    /// </summary>
    private static void Scan(BenchOptions options)
    {
        for (int stage = 0; stage < 4; stage++)
        {
            long channels = 96L << stage, side = options.Size / 4 >> stage, length = side * side;
            using var scope = NewDisposeScope();
            var u = randn(options.Batch, 4, channels, length).requires_grad_();
            var delta = (randn(options.Batch, 4, channels, length) * 0.1).requires_grad_();
            var a = (-arange(1, 17, dtype: ScalarType.Float32)).expand(4, channels, 16).contiguous().requires_grad_();
            var b = randn(options.Batch, 4, 16, length).requires_grad_();
            var c = randn(options.Batch, 4, 16, length).requires_grad_();
            var d = ones(4, channels).requires_grad_();
            var bias = (rand(4, channels) * 4 - 7).requires_grad_();
            Tensor Run() => SelectiveScan.Apply(u, delta, a, b, c, d, deltaBias: bias, deltaSoftplus: true);
            var name = $"scan/stage{stage + 1}-D{channels}-L{length}";
            Report(name + "/forward", Timed(() => { using var s = NewDisposeScope(); using var noGrad = no_grad(); Run(); },
                options.Warmup, options.Repeats), options.Batch, options);
            Report(name + "/train", Timed(() => { using var s = NewDisposeScope(); Run().sum().backward(); },
                options.Warmup, options.Repeats), options.Batch, options);
        }
    }

    private static void Fid(BenchOptions options)
    {
        using var extractor = FeatureExtractors.CreateRandomInception(CPU);
        using var images = rand(options.Batch, 1, options.Size, options.Size);
        var seconds = Timed(() => { using var scope = NewDisposeScope(); extractor.Extract(images); }, options.Warmup, options.Repeats);
        Report("fid-inception-features", seconds, options.Batch, options);
    }

    /// <summary>Resident memory every 100 training steps (the curve in bench/README.md); TorchSharp tensors must be freed deterministically.</summary>
    private static void MemoryTrain(BenchOptions options)
    {
        var name = options.Models[0];
        using var model = ClassifierRegistry.Create(name, new ClassifierConfig(1, 6, options.Size));
        var optimizer = optim.Adam(model.parameters(), 1e-4);
        using var data = new LabelledImages(randint(0, 256, [512, 1, options.Size, options.Size], dtype: ScalarType.Byte),
            Enumerable.Range(0, 512).Select(i => (long)(i % 6)).ToArray(), PlaneClasses.Names, Enumerable.Range(0, 512).Select(i => $"{i}").ToArray());
        var generator = new Generator().manual_seed(0);
        for (int step = 1; step <= options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = randint(0, 512, [options.Batch], generator: generator).data<long>().ToArray();
            var images = BatchAugmenter.Apply(data.FloatBatch(rows), AugmentationSettings.Paper, generator);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(images), data.LabelBatch(rows)).backward();
            optimizer.step();
            if (step % 100 == 0 || step == 1) PrintMemory("memory-train/" + name, step);
        }
    }

    private static void MemorySample(BenchOptions options)
    {
        var config = UNetConfig.CpuTiny with { ClassCount = 6 };
        using var model = new UNetModel(config);
        model.eval();
        var generator = new ImageGenerator(model, new SamplingOptions(SamplerKind.Ddim, "ddim10", BatchSize: options.Batch));
        long done = 0;
        while (done < options.Steps)
        {
            var seeds = Enumerable.Range(0, options.Batch).Select(i => done + i).ToArray();
            using var labels = tensor(seeds.Select(s => s % 6).ToArray());
            using var images = generator.Generate(labels, seeds);
            done += options.Batch;
            if (done % (options.Batch * 10) == 0 || done == options.Batch) PrintMemory("memory-sample", done);
        }
    }

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    private static void PrintMemory(string name, long step)
    {
        using var process = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new { name, step, seconds = Clock.Elapsed.TotalSeconds, rss_mib = process.WorkingSet64 / (1024.0 * 1024.0),
            malloc = Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") ?? "glibc default" }));
    }

    /// <summary>
    /// Time per training step against batch size (8/16/32 at 64 px) and image size (64/128/256 at batch 8), for ResNet50 and
    /// the U-Net cpu-small. The U-Net keeps attention at the same depths (feature maps of size/4 and size/8) as the image grows.
    /// </summary>
    private static void Scaling(BenchOptions options)
    {
        var shapes = new[] { (8, 64), (16, 64), (32, 64), (8, 128), (8, 256) };
        foreach (var (batch, size) in shapes)
        {
            using (var resnet = ClassifierRegistry.Create("resnet50", new ClassifierConfig(1, 6, size)))
            {
                var optimizer = optim.Adam(resnet.parameters(), 1e-4);
                using var images = rand(batch, 1, size, size);
                using var labels = randint(0, 6, [batch]);
                var seconds = Timed(() =>
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    nn.functional.cross_entropy(resnet.call(images), labels).backward();
                    optimizer.step();
                }, 1, options.Repeats);
                Report("scaling/resnet50", seconds, batch, options with { Size = size });
            }
            using (var unet = new UNetModel(UNetConfig.CpuSmall with { ImageSize = size, AttentionResolutions = [size / 4, size / 8], ClassCount = 6 }))
            {
                var optimizer = optim.AdamW(unet.parameters(), 1e-4, weight_decay: 0);
                using var x = randn(batch, 1, size, size);
                using var t = randint(0, 1000, [batch]);
                using var y = randint(0, 6, [batch]);
                var seconds = Timed(() =>
                {
                    using var scope = NewDisposeScope();
                    optimizer.zero_grad();
                    nn.functional.mse_loss(unet.call(x, t, y), randn_like(x)).backward();
                    optimizer.step();
                }, 1, options.Repeats);
                Report("scaling/unet-cpu-small", seconds, batch, options with { Size = size });
            }
        }
    }

    /// <summary>
    /// Each layer of a list written by bench/peer/layers.py (torchvision's leaf layers of one model, with input shapes)
    /// timed alone through libtorch 2.10's functional ops: forward, and forward + backward from a random output gradient.
    /// The PyTorch peer times the same list (bench/profile.sh pairs them). 1×1 stride-2 convolutions run as our models
    /// run them: subsample, then a stride-1 convolution (the oneDNN SIGFPE workaround).
    /// </summary>
    private static void Layers(BenchOptions options)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(options.LayersFile
            ?? throw new ArgumentException("layers needs --layers FILE (bench/peer/layers.py shapes --model M > FILE)")));
        var model = document.RootElement.GetProperty("model").GetString();
        int index = 0;
        foreach (var layer in document.RootElement.GetProperty("layers").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            var kind = layer.GetProperty("kind").GetString()!;
            var shape = layer.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var function = LayerFunction(kind, layer, shape);
            var x = rand(shape) + 0.1;
            var xGrad = x.clone().requires_grad_();
            var gradOutput = randn_like(function(xGrad).detach());
            var forward = Timed(() => { using var s = NewDisposeScope(); using var noGrad = no_grad(); function(x); }, options.Warmup, options.Repeats);
            var train = Timed(() => { using var s = NewDisposeScope(); function(xGrad).backward([gradOutput]); }, options.Warmup, options.Repeats);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["model"] = model, ["index"] = index++, ["kind"] = kind, ["count"] = layer.GetProperty("count").GetInt32(),
                ["peer"] = "sonosynth", ["torch"] = "libtorch 2.10 (TorchSharp 0.107)", ["threads"] = options.Threads,
                ["forward_s"] = forward.Seconds, ["train_s"] = train.Seconds,
            }));
        }
    }

    private static Func<Tensor, Tensor> LayerFunction(string kind, JsonElement layer, long[] shape)
    {
        long[] Ints(string name) => layer.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        long Int(string name) => layer.GetProperty(name).GetInt64();
        bool Flag(string name) => layer.GetProperty(name).GetBoolean();
        switch (kind)
        {
            case "conv2d":
            {
                long groups = Int("groups");
                long[] kernel = Ints("kernel"), stride = Ints("stride"), padding = Ints("padding");
                var weight = randn([Int("out"), Int("in") / groups, .. kernel]).requires_grad_();
                var bias = Flag("bias") ? randn(Int("out")).requires_grad_() : null;
                if (kernel.All(k => k == 1) && stride.Any(s => s > 1) && padding.All(p => p == 0))
                {
                    var every = new[] { TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, stride[0]), TensorIndex.Slice(null, null, stride[1]) };
                    return x => nn.functional.conv2d(x[every], weight, bias, groups: groups);
                }
                return x => nn.functional.conv2d(x, weight, bias, stride, padding, groups: groups);
            }
            case "batch_norm":
            {
                long c = shape[1];
                var weight = ones(c).requires_grad_();
                var bias = zeros(c).requires_grad_();
                var mean = zeros(c);
                var variance = ones(c);
                return x => nn.functional.batch_norm(x, mean, variance, weight, bias, training: true, momentum: 0.1, eps: 1e-5);
            }
            case "relu": return x => nn.functional.relu(x);
            case "max_pool2d": return x => nn.functional.max_pool2d(x, Int("kernel"), Int("stride"), Int("padding"));
            case "avg_pool2d": return x => nn.functional.avg_pool2d(x, Int("kernel"), Int("stride"));
            case "adaptive_avg_pool2d": return x => nn.functional.adaptive_avg_pool2d(x, 1);
            case "linear":
            {
                var weight = randn(Int("out"), shape[^1]).requires_grad_();
                var bias = Flag("bias") ? randn(Int("out")).requires_grad_() : null;
                return x => nn.functional.linear(x, weight, bias);
            }
            case "layer_norm":
            {
                long c = shape[^1];
                var weight = ones(c).requires_grad_();
                var bias = zeros(c).requires_grad_();
                return x => nn.functional.layer_norm(x, [c], weight, bias, 1e-6);
            }
            case "gelu": return x => nn.functional.gelu(x);
            default: throw new ArgumentException($"unknown layer kind '{kind}' in the --layers file");
        }
    }

    /// <summary>
    /// The machine's matmul peak as libtorch reaches it: GFLOP/s of a square float32 product (2n³ operations) at
    /// n = 512, 1024, 2048. The transformers' per-layer GFLOP/s in bench/README.md are read against the best of these.
    /// </summary>
    private static void Matmul(BenchOptions options)
    {
        foreach (long n in new long[] { 512, 1024, 2048 })
        {
            using var a = randn(n, n);
            using var b = randn(n, n);
            var timing = Timed(() => { using var product = a.mm(b); }, options.Warmup, options.Repeats);
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["name"] = $"matmul/{n}", ["peer"] = "sonosynth", ["threads"] = options.Threads, ["median_s"] = timing.Seconds,
                ["gflops"] = 2.0 * n * n * n / timing.Seconds / 1e9,
            }));
        }
    }
}
