using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.TrainingKit;

/// <summary>
/// TorchSharp's AdamW with each parameter's update in its own dispose scope (named AdamW too: the saved optimizer
/// state starts with the type's name, so checkpoints stay byte for byte those of TorchSharp's AdamW). TorchSharp's step() opens one scope
/// around all parameters, so the two parameter-sized temporaries of every update (√v̂ and the denominator) live
/// until the last parameter is done: 3.2 GB at adm128, the largest part of a step's peak with --use-checkpoint
/// (bench/README.md). Same state objects, same state-dict format and the same arithmetic in the same order, so
/// checkpoints and results do not change; AMSGrad and closures are not supported (no trainer here uses them).
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    public AdamW(IEnumerable<TorchSharp.Modules.Parameter> parameters, double learningRate, double weightDecay)
        : base(parameters, learningRate, weight_decay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null)
    {
        if (closure is not null) throw new NotSupportedException("This AdamW.step takes no closure.");
        using var noGrad = no_grad();
        foreach (var group in _parameter_groups)
        {
            var options = (TorchSharp.Modules.AdamW.Options)group.Options;
            if (options.amsgrad!.Value) throw new NotSupportedException("This AdamW does not implement AMSGrad.");
            double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
            double weightDecay = options.weight_decay!.Value, learningRate = options.LearningRate!.Value;
            foreach (var parameter in group.Parameters)
            {
                using var scope = NewDisposeScope();
                var gradient = parameter.grad;
                if (gradient is null) continue;
                if (options.maximize!.Value) gradient = -gradient;
                var state = (TorchSharp.Modules.AdamW.State)_state[parameter.Handle];
                state.step += 1;
                parameter.mul_(1 - learningRate * weightDecay);
                double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                state.exp_avg.mul_(beta1).add_(gradient, alpha: 1 - beta1);
                state.exp_avg_sq.mul_(beta2).addcmul_(gradient, gradient, value: 1 - beta2);
                var denominator = (state.exp_avg_sq.sqrt() / Math.Sqrt(biasCorrection2)).add_(eps);
                parameter.addcdiv_(state.exp_avg, denominator, value: -learningRate / biasCorrection1);
            }
        }
        return null!;
    }
}
