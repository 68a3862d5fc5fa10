#!/usr/bin/env python3
"""Re-samples a SonoSynth synthetic set with guided-diffusion's own samplers and compares the images.

The same weights (exported with `sonosynth diffusion export`), the same starting noise (SonoSynth draws x_T for each
image from a CPU generator seeded with the manifest's `seed`, and libtorch's randn gives the same numbers as
PyTorch's for the same seed) and the same labels go into guided-diffusion's `ddim_sample_loop` (or `p_sample_loop`
for DDPM, whose per-step noise differs, so only statistics are comparable). With DDIM (eta 0) the outputs must agree
up to float32 round-off and PNG quantisation.

Run with Debian's PyTorch (python3-torch) and a guided-diffusion checkout (https://github.com/openai/guided-diffusion)
outside the project:

  /usr/bin/python3 scripts/reference/sample_with_guided_diffusion.py --guided-diffusion /tmp/guided-diffusion \
      --unet unet.pt --unet-flags "$(cat unet-flags.txt)" --synthetic synthetic/ --respacing ddim25 --sampler ddim \
      [--classifier clf.pt --classifier-flags "..." --classifier-scale 2] --out comparison.json

--unet-flags / --classifier-flags take the "guided-diffusion flags" line that `sonosynth diffusion export` prints.
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
import torch as th
import torch.nn.functional as F
from PIL import Image


def parse_flags(text):
    """'--image_size 32 --num_channels 32 ... (in_channels 1, num_classes 6)' -> dict of flag -> string."""
    extra = {}
    if "(" in text:
        text, inner = text.split("(", 1)
        for part in inner.rstrip(")").split(","):
            key, value = part.strip().split(" ", 1)
            extra[key] = value
    tokens = text.split()
    flags = {tokens[i].lstrip("-"): tokens[i + 1] for i in range(0, len(tokens), 2)}
    flags.update(extra)
    return flags


def truthy(value):
    return str(value).lower() in ("true", "1", "yes")


def attention_ds(image_size, resolutions):
    return tuple(image_size // int(r) for r in resolutions.split(","))


def build_unet(unet_module, flags):
    size = int(flags["image_size"])
    in_channels = int(flags["in_channels"])
    learn_sigma = truthy(flags["learn_sigma"])
    num_classes = int(flags["num_classes"])
    return unet_module.UNetModel(
        image_size=size, in_channels=in_channels, model_channels=int(flags["num_channels"]),
        out_channels=in_channels * (2 if learn_sigma else 1), num_res_blocks=int(flags["num_res_blocks"]),
        attention_resolutions=attention_ds(size, flags["attention_resolutions"]), dropout=float(flags["dropout"]),
        channel_mult=tuple(int(c) for c in flags["channel_mult"].split(",")),
        num_classes=num_classes if truthy(flags["class_cond"]) else None,
        num_heads=int(flags["num_heads"]), num_head_channels=int(flags["num_head_channels"]),
        use_scale_shift_norm=truthy(flags["use_scale_shift_norm"]), resblock_updown=truthy(flags["resblock_updown"]),
        use_new_attention_order=truthy(flags["use_new_attention_order"]))


def build_classifier(unet_module, flags):
    size = int(flags["image_size"])
    return unet_module.EncoderUNetModel(
        image_size=size, in_channels=int(flags["in_channels"]), model_channels=int(flags["classifier_width"]),
        out_channels=int(flags["out_channels"]), num_res_blocks=int(flags["classifier_depth"]),
        attention_resolutions=attention_ds(size, flags["classifier_attention_resolutions"]),
        channel_mult=tuple(int(c) for c in flags["channel_mult"].split(",")),
        num_head_channels=int(flags["num_head_channels"]),
        use_scale_shift_norm=truthy(flags["classifier_use_scale_shift_norm"]),
        resblock_updown=truthy(flags["classifier_resblock_updown"]), pool=flags["classifier_pool"])


def load_exported(module, path):
    """Loads an exported state dict. SonoSynth 0.x exports may also list some tensors a second time under a C# field
    name (e.g. in_layers.0.weight as inNorm.weight); such aliases must equal a guided-diffusion key's tensor and are dropped."""
    state = th.load(path, map_location="cpu")
    expected = module.state_dict()
    missing = [k for k in expected if k not in state]
    if missing:
        raise SystemExit(f"{path} lacks {len(missing)} guided-diffusion keys, e.g. {missing[:5]}")
    for key in [k for k in state if k not in expected]:
        if not any(state[key].shape == state[k].shape and th.equal(state[key], state[k]) for k in expected):
            raise SystemExit(f"{path} has key {key} that is neither guided-diffusion's nor an alias of one")
        del state[key]
    module.load_state_dict(state, strict=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guided-diffusion", required=True, help="path of a guided-diffusion checkout")
    parser.add_argument("--unet", required=True)
    parser.add_argument("--unet-flags", required=True)
    parser.add_argument("--synthetic", required=True, help="folder with manifest.csv written by SonoSynth's sampler")
    parser.add_argument("--respacing", required=True)
    parser.add_argument("--sampler", choices=["ddim", "ddpm"], required=True)
    parser.add_argument("--classifier")
    parser.add_argument("--classifier-flags")
    parser.add_argument("--classifier-scale", type=float, default=0.0)
    parser.add_argument("--class-names", help="comma-separated class names in label order (default: sorted manifest labels)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--save-png", help="folder to write guided-diffusion's images into")
    args = parser.parse_args()

    sys.path.insert(0, args.guided_diffusion)
    from guided_diffusion import unet as unet_module  # noqa: E402
    from guided_diffusion import script_util  # noqa: E402

    th.set_num_threads(max(1, os.cpu_count() or 1))
    flags = parse_flags(args.unet_flags)
    model = build_unet(unet_module, flags)
    load_exported(model, args.unet)
    model.eval()
    diffusion = script_util.create_gaussian_diffusion(
        steps=1000, learn_sigma=truthy(flags["learn_sigma"]), noise_schedule="linear",
        timestep_respacing=args.respacing)
    classifier = None
    if args.classifier:
        classifier = build_classifier(unet_module, parse_flags(args.classifier_flags))
        load_exported(classifier, args.classifier)
        classifier.eval()

    with open(os.path.join(args.synthetic, "manifest.csv"), newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.limit:
        rows = rows[: args.limit]
    names = args.class_names.split(",") if args.class_names else sorted({row["label"] for row in rows})
    size, channels = int(flags["image_size"]), int(flags["in_channels"])
    class_cond = truthy(flags["class_cond"])

    def model_fn(x, t, y=None):
        return model(x, t, y if class_cond else None)

    def cond_fn(x, t, y=None):
        with th.enable_grad():
            x_in = x.detach().requires_grad_(True)
            log_probs = F.log_softmax(classifier(x_in, t), dim=-1)
            selected = log_probs[range(len(log_probs)), y.view(-1)]
            return th.autograd.grad(selected.sum(), x_in)[0] * args.classifier_scale

    differences, saturated_ours, saturated_theirs, results = [], 0, 0, []
    for row in rows:
        generator = th.Generator().manual_seed(int(row["seed"]))
        noise = th.randn([1, channels, size, size], generator=generator)
        label = th.tensor([names.index(row["label"])])
        loop = diffusion.ddim_sample_loop if args.sampler == "ddim" else diffusion.p_sample_loop
        sample = loop(model_fn, (1, channels, size, size), noise=noise, clip_denoised=True,
                      model_kwargs={"y": label}, cond_fn=cond_fn if classifier is not None else None, device="cpu")
        theirs = ((sample[0, 0] + 1) * 127.5).round().clamp(0, 255).to(th.uint8).numpy()
        ours = np.asarray(Image.open(os.path.join(args.synthetic, row["path"])).convert("L"))
        difference = np.abs(theirs.astype(int) - ours.astype(int))
        differences.append(int(difference.max()))
        # "Saturated": more than half of the pixels at 0 or 255 (noise or white squares).
        saturated_ours += int(((ours == 0) | (ours == 255)).mean() > 0.5)
        saturated_theirs += int(((theirs == 0) | (theirs == 255)).mean() > 0.5)
        results.append({"path": row["path"], "label": row["label"], "seed": int(row["seed"]),
                        "max_abs_difference": int(difference.max()), "mean_abs_difference": float(difference.mean())})
        if args.save_png:
            target = os.path.join(args.save_png, row["path"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            Image.fromarray(theirs).save(target)

    summary = {
        "sampler": args.sampler, "respacing": args.respacing, "classifier_scale": args.classifier_scale,
        "images": len(rows), "max_abs_difference_levels": max(differences),
        "median_of_max_abs_difference_levels": float(np.median(differences)),
        "saturated_ours": saturated_ours, "saturated_guided_diffusion": saturated_theirs, "images_detail": results,
    }
    with open(args.out, "w") as handle:
        json.dump(summary, handle, indent=1)
    print(json.dumps({k: v for k, v in summary.items() if k != "images_detail"}))


if __name__ == "__main__":
    main()
