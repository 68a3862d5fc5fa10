using TorchSharp;
using static TorchSharp.torch;

namespace SonoSynth.Diffusion.Networks;

/// <summary>A layer whose forward also takes the [N x E] timestep (+ class) embedding, like guided-diffusion's TimestepBlock.</summary>
public abstract class TimestepBlock(string name) : nn.Module<Tensor, Tensor, Tensor>(name);
