#!/usr/bin/env python3
"""Writes tests/SonoSynth.Tests/Diffusion/Fixtures/guided-diffusion-sampling.npz: guided-diffusion's own samplers
(ddim_sample_loop, p_sample_loop, classifier guidance via cond_fn) run on a tiny U-Net and noise-aware classifier.

Nothing in the fixture is made by SonoSynth. Both networks get "formula weights" that SonoSynth's test recomputes
(value k of the parameter named n is scale * sin(0.5 + 0.37 k + 0.011 h(n)), h = sum of the name's character codes),
so no weights need committing. Every image i draws all its Gaussian noise, x_T first and then one draw per step, from
its own CPU generator seeded with seeds[i]; guided-diffusion's th.randn_like is replaced by draws from those generators,
which is exactly how SonoSynth's ImageGenerator draws (libtorch's randn and PyTorch's give the same numbers per seed).

Run with Debian's PyTorch (python3-torch) and a guided-diffusion checkout outside the project:
  /usr/bin/python3 scripts/reference/make_sampling_fixture.py --guided-diffusion /tmp/guided-diffusion \
      --out tests/SonoSynth.Tests/Diffusion/Fixtures/guided-diffusion-sampling.npz
"""
import argparse
import math
import sys

import numpy as np
import torch as th
import torch.nn.functional as F

SEEDS = [11, 12, 13, 14]
LABELS = [0, 1, 1, 0]
SIZE = 8


def formula_weights(module):
    """Deterministic weights any implementation can recompute from parameter names and shapes alone."""
    with th.no_grad():
        for name, parameter in module.named_parameters():
            h = sum(ord(c) for c in name)
            k = th.arange(parameter.numel(), dtype=th.float64)
            values = th.sin(0.5 + 0.37 * k + 0.011 * h)
            if parameter.dim() >= 2:
                fan_in = parameter.numel() // parameter.shape[0]
                values = values / math.sqrt(fan_in)
            elif name.endswith("weight"):  # GroupNorm scales
                values = 1.0 + 0.1 * values
            else:
                values = 0.1 * values
            parameter.copy_(values.view_as(parameter).to(parameter.dtype))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--guided-diffusion", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    sys.path.insert(0, args.guided_diffusion)
    from guided_diffusion import unet, script_util

    th.set_num_threads(1)
    arrays = {"seeds": np.array(SEEDS, dtype=np.int64), "labels": np.array(LABELS, dtype=np.int64)}
    classifier = unet.EncoderUNetModel(
        image_size=SIZE, in_channels=1, model_channels=32, out_channels=2, num_res_blocks=1, attention_resolutions=(2,),
        channel_mult=(1, 1), num_head_channels=32, use_scale_shift_norm=True, resblock_updown=True, pool="attention")
    formula_weights(classifier)
    classifier.eval()

    def cond_fn_for(scale):
        def cond_fn(x, t, y=None):
            with th.enable_grad():
                x_in = x.detach().requires_grad_(True)
                log_probs = F.log_softmax(classifier(x_in, t), dim=-1)
                selected = log_probs[range(len(log_probs)), y.view(-1)]
                return th.autograd.grad(selected.sum(), x_in)[0] * scale
        return cond_fn

    cases = [
        # name, learn_sigma, sampler, respacing, eta, classifier scale, clip x̂_0 to [-1, 1], sigma_small
        ("ddim_ddim10", False, "ddim", "ddim10", 0.0, 0.0, True, False),
        ("ddim_ddim10_noclip", False, "ddim", "ddim10", 0.0, 0.0, False, False),
        ("ddim_ddim10_guided_noclip", False, "ddim", "ddim10", 0.0, 30.0, False, False),
        ("ddim_ddim10_guided", False, "ddim", "ddim10", 0.0, 30.0, True, False),
        ("ddim_5_eta_noclip", False, "ddim", "5", 0.5, 0.0, False, False),
        ("ddpm_10_noclip", False, "ddpm", "10", 0.0, 0.0, False, False),
        ("ddpm_10_guided", False, "ddpm", "10", 0.0, 30.0, True, False),
        ("ddpm_10_sigma_small_guided", False, "ddpm", "10", 0.0, 30.0, True, True),
        ("ddpm_10_learned_sigma_guided_noclip", True, "ddpm", "10", 0.0, 30.0, False, False),
    ]
    for name, learn_sigma, sampler, respacing, eta, scale, clip, sigma_small in cases:
        model = unet.UNetModel(
            image_size=SIZE, in_channels=1, model_channels=32, out_channels=2 if learn_sigma else 1, num_res_blocks=1,
            attention_resolutions=(2,), dropout=0.0, channel_mult=(1, 1), num_classes=2, num_head_channels=32,
            use_scale_shift_norm=True, resblock_updown=True)
        formula_weights(model)
        model.eval()
        diffusion = script_util.create_gaussian_diffusion(
            steps=1000, learn_sigma=learn_sigma, sigma_small=sigma_small, noise_schedule="linear",
            timestep_respacing=respacing)
        generators = [th.Generator().manual_seed(seed) for seed in SEEDS]

        def draw(_like=None):
            return th.cat([th.randn([1, 1, SIZE, SIZE], generator=g) for g in generators], 0)

        noise = draw()
        original_randn_like = th.randn_like
        th.randn_like = lambda like: draw()
        try:
            kwargs = {"model_kwargs": {"y": th.tensor(LABELS)}, "clip_denoised": clip, "noise": noise,
                      "cond_fn": cond_fn_for(scale) if scale > 0 else None}
            if sampler == "ddim":
                sample = diffusion.ddim_sample_loop(model, (len(SEEDS), 1, SIZE, SIZE), eta=eta, **kwargs)
            else:
                sample = diffusion.p_sample_loop(model, (len(SEEDS), 1, SIZE, SIZE), **kwargs)
        finally:
            th.randn_like = original_randn_like
        arrays[name] = sample.numpy().astype(np.float32)
        print(name, "max |x|", float(sample.abs().max()), "sd", float(sample.std()), "first", sample.flatten()[:3].tolist())
    np.savez(args.out, **arrays)


if __name__ == "__main__":
    main()
