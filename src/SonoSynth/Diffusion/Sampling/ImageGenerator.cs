using SonoSynth.Diffusion.Networks;
using SonoSynth.Diffusion.Schedules;
using SonoSynth.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Sampling;

/// <summary>
/// Owns the reverse-diffusion loop: start from N(0, I), call the U-Net at each kept timestep, apply classifier-free or
/// classifier guidance, and let the <see cref="ISampler"/> take the step. Every image has its own seeded generator, so
/// an image depends only on its seed and label, never on which batch it was drawn in.
/// </summary>
public sealed class ImageGenerator
{
    private readonly UNetModel model;
    private readonly IGuidance? guidance;

    public ImageGenerator(UNetModel model, SamplingOptions options, NoiseAwareClassifier? classifier = null)
    {
        this.model = model;
        Options = options;
        model.Precision = options.Precision;
        if (classifier is not null) classifier.Precision = options.Precision;
        var config = model.Config;
        if (options.ClassifierScale > 0)
        {
            if (classifier is null) throw new ArgumentException("Classifier guidance (scale > 0) needs a noise-aware classifier.");
            if (classifier.Config.ImageSize != config.ImageSize || classifier.Config.InChannels != config.InChannels)
                throw new ArgumentException($"The classifier is for {classifier.Config.InChannels}×{classifier.Config.ImageSize} px images " +
                    $"but the U-Net makes {config.InChannels}×{config.ImageSize} px; train a classifier at the U-Net's size.");
        }
        if (options.FreeGuidanceWeight > 0 && !config.NullLabel)
            throw new ArgumentException("Classifier-free guidance needs a U-Net trained with label dropout (--label-dropout > 0).");
        var freeGuidance = options.FreeGuidanceWeight > 0 ? new ClassifierFreeGuidance(options.FreeGuidanceWeight) : null;
        guidance = options.ClassifierScale > 0 ? new ClassifierGuidance(classifier!, options.ClassifierScale, freeGuidance) : freeGuidance;
        FullSchedule = NoiseSchedule.Create(options.Schedule, options.DiffusionSteps);
        var schedule = FullSchedule.Respace(options.Respacing);
        var varianceKind = config.LearnSigma ? ModelVarianceKind.LearnedRange
            : options.SigmaSmall ? ModelVarianceKind.FixedSmall : ModelVarianceKind.FixedLarge;
        Sampler = options.Sampler == SamplerKind.Ddim
            ? new DdimSampler(schedule, varianceKind, options.Eta, options.ClipDenoised)
            : new DdpmSampler(schedule, varianceKind, options.ClipDenoised);
    }

    public SamplingOptions Options { get; }
    public NoiseSchedule FullSchedule { get; }
    public ISampler Sampler { get; }

    /// <summary>
    /// Samples one image per seed. <paramref name="labels"/>: [N] classes (required for a class-conditional U-Net and for
    /// classifier guidance; null for an unconditional one). Returns [N x C x H x W] in [−1, 1] on the model's device.
    /// <paramref name="observeStep"/> sees x after every step with the original timestep it now stands at (−1 after the
    /// last step), for pictures of the trajectory; the tensor is only valid during the call.
    /// </summary>
    public Tensor Generate(Tensor? labels, IReadOnlyList<long> seeds, IProgress<ProgressUpdate>? progress = null,
        Action<int, Tensor>? observeStep = null)
    {
        var config = model.Config;
        if (labels is null && (config.ClassCount > 0 || guidance is not null))
            throw new ArgumentException("This U-Net or the guidance is class-conditional; pass one label per image.");
        if (labels is not null && labels.shape[0] != seeds.Count)
            throw new ArgumentException($"{labels.shape[0]} labels for {seeds.Count} seeds.");
        var device = model.parameters().First().device;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var generators = seeds.Select(seed => new Generator((ulong)seed)).ToArray();
            long[] imageShape = [1, config.InChannels, config.ImageSize, config.ImageSize];
            Tensor Noise()
            {
                using var scope = NewDisposeScope();
                return torch.cat(generators.Select(g => torch.randn(imageShape, generator: g)).ToArray(), 0).to(device)
                    .MoveToOuterDisposeScope();
            }
            var deviceLabels = labels?.to(device);
            var x = Noise();
            var schedule = Sampler.Schedule;
            observeStep?.Invoke(schedule.OriginalTimesteps[^1], x);
            for (int index = schedule.Count - 1; index >= 0; index--)
            {
                using var scope = NewDisposeScope();
                var originalT = torch.full(seeds.Count, schedule.OriginalTimesteps[index], ScalarType.Int64, device: device);
                var output = ModelOutput(x, originalT, deviceLabels);
                var gradient = guidance?.Gradient(x, originalT, deviceLabels!);
                var next = Sampler.Step(output, index, x, Noise(), gradient);
                x.Dispose();
                x = next.MoveToOuterDisposeScope();
                observeStep?.Invoke(index == 0 ? -1 : schedule.OriginalTimesteps[index - 1], x);
                progress?.Report(ProgressUpdate.Of("sampling steps", schedule.Count - index, schedule.Count));
            }
            foreach (var generator in generators) generator.Dispose();
            deviceLabels?.Dispose();
            return x;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The network output the sampler sees at (x_t, t): the U-Net's, or the guidance's (<see cref="IGuidance.ModelOutput"/>).</summary>
    public Tensor ModelOutput(Tensor x, Tensor originalT, Tensor? labels) =>
        guidance is null ? model.call(x, originalT, model.Config.ClassCount > 0 ? labels : null) : guidance.ModelOutput(model, x, originalT, labels!);
}
