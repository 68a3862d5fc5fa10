#!/usr/bin/env python3
"""The PyTorch peer of SonoSynth's benchmarks: the same step, same shapes, same threads, in Debian's python3-torch.

Prints one JSON object per measurement on stdout, in the same form as the C# bench:
{"name": ..., "peer": "pytorch", "torch": version, "images_per_s": ..., "median_s": ..., "steps": ...}
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F
import torchvision


def classifier(name, in_channels, num_classes):
    if name == "resnet50":
        model = torchvision.models.resnet50(num_classes=num_classes)
        model.conv1 = torch.nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
    elif name == "densenet169":
        model = torchvision.models.densenet169(num_classes=num_classes)
        model.features.conv0 = torch.nn.Conv2d(in_channels, 64, 7, 2, 3, bias=False)
    elif name == "vit_b_32":
        model = torchvision.models.vit_b_32(num_classes=num_classes, image_size=128)
        model.conv_proj = torch.nn.Conv2d(in_channels, 768, 32, 32)
    elif name == "swin_t":
        model = torchvision.models.swin_t(num_classes=num_classes)
        model.features[0][0] = torch.nn.Conv2d(in_channels, 96, 4, 4)
    elif name == "medmamba_t":
        from medmamba import medmamba_t
        model = medmamba_t(in_channels, num_classes)
    else:
        raise SystemExit(f"no PyTorch peer for {name}")
    return model


def timed(step, warmup, repeats):
    """Medians of wall-clock and process CPU seconds (all threads) per step, after warm-up."""
    for _ in range(warmup):
        step()
    times, cpu_times = [], []
    for _ in range(repeats):
        start, cpu = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpu_times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="resnet50,densenet169,vit_b_32,swin_t")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--unet", default="", help="U-Net presets to time instead of classifiers, e.g. cpu-tiny,cpu-small")
    parser.add_argument("--channels-last", action="store_true", help="classifiers with channels-last (NHWC) weights and input")
    parser.add_argument("--sampling", action="store_true", help="time DDIM-25 sampling with the cpu-tiny U-Net instead")
    parser.add_argument("--fid", action="store_true", help="time Inception-v3 pool features (FID) instead")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.unet:
        unets(args)
        return
    if args.sampling:
        sampling(args)
        return
    if args.fid:
        fid_features(args)
        return
    for name in args.models.split(","):
        model = classifier(name, 1, 6)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
        images = torch.rand(args.batch, 1, args.size, args.size)
        labels = torch.randint(0, 6, (args.batch,))
        variant = ""
        if args.channels_last:
            model = model.to(memory_format=torch.channels_last)
            images = images.contiguous(memory_format=torch.channels_last)
            variant = "-channels-last"

        def train_step():
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()

        model.train()
        report(name + variant + "/train", timed(train_step, args.warmup, args.repeats), args)
        model.eval()

        def infer():
            with torch.inference_mode():
                model(images)

        report(name + variant + "/infer", timed(infer, args.warmup, args.repeats), args)


def unets(args):
    from adm_unet import PRESETS, UNetModel
    for preset in args.unet.split(","):
        config = PRESETS[preset]
        model = UNetModel(**config)
        size = config["image_size"]
        params = sum(p.numel() for p in model.parameters())
        x = torch.randn(args.batch, 1, size, size)
        t = torch.randint(0, 1000, (args.batch,))
        y = torch.randint(0, 6, (args.batch,))
        if preset != "adm128":
            optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0)

            def train_step():
                optimizer.zero_grad(set_to_none=True)
                F.mse_loss(model(x, t, y), torch.randn_like(x)).backward()
                optimizer.step()

            report(f"unet-{preset}/train", timed(train_step, args.warmup, args.repeats), args, size, params)

        def forward():
            with torch.inference_mode():
                model(x, t, y)

        report(f"unet-{preset}/forward", timed(forward, args.warmup, args.repeats), args, size, params)


def sampling(args, steps=25):
    """DDIM (eta 0) over guided-diffusion's "ddim25" timesteps of a 1000-step linear schedule, x0 clipped to [-1, 1]:
    the same loop as SonoSynth's DdimSampler, with the cpu-tiny U-Net."""
    from adm_unet import PRESETS, UNetModel
    config = PRESETS["cpu-tiny"]
    model = UNetModel(**config).eval()
    size = config["image_size"]
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)
    alphas_cumprod = torch.cumprod(1 - betas, 0)
    timesteps = list(range(0, 1000, 1000 // steps))
    y = torch.arange(args.batch) % 6

    def sample():
        x = torch.randn(args.batch, 1, size, size)
        with torch.inference_mode():
            for i in reversed(range(len(timesteps))):
                ab = alphas_cumprod[timesteps[i]].item()
                ab_prev = alphas_cumprod[timesteps[i - 1]].item() if i > 0 else 1.0
                eps = model(x, torch.full((args.batch,), timesteps[i]), y)
                x0 = ((x - (1 - ab) ** 0.5 * eps) / ab ** 0.5).clamp(-1, 1)
                eps = (x - ab ** 0.5 * x0) / (1 - ab) ** 0.5
                x = ab_prev ** 0.5 * x0 + (1 - ab_prev) ** 0.5 * eps
        return x

    report("sampling-cpu-tiny-ddim25", timed(sample, 1, args.repeats), args, size)


def fid_features(args):
    """torchvision's Inception-v3 (untrained; pytorch-fid's variant differs only in three pooling layers) to the 2048-d
    pool features, after the same preprocessing as SonoSynth: bilinear to 299x299, gray to RGB, [0,1] -> [-1,1]."""
    model = torchvision.models.inception_v3(weights=None, aux_logits=False, init_weights=False).eval()
    model.fc = torch.nn.Identity()
    images = torch.rand(args.batch, 1, args.size, args.size)

    def extract():
        with torch.inference_mode():
            x = F.interpolate(images, size=(299, 299), mode="bilinear", align_corners=False)
            model(x.expand(-1, 3, -1, -1) * 2 - 1)

    report("fid-inception-features", timed(extract, args.warmup, args.repeats), args)


def report(name, timing, args, size=None, params=None):
    seconds, cpu_seconds = timing
    print(json.dumps({"name": name, "peer": "pytorch", "torch": torch.__version__, "threads": args.threads,
                      "batch": args.batch, "size": size or args.size, "median_s": seconds, "cpu_s": cpu_seconds,
                      "parameters": params, "images_per_s": args.batch / seconds}), flush=True)


if __name__ == "__main__":
    main()
