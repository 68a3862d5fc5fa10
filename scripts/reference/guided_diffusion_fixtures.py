#!/usr/bin/python3
"""Reference outputs of guided-diffusion's own UNetModel and EncoderUNetModel for SonoSynth's equivalence tests.

Run with Debian's python (python3-torch), pointing at a guided-diffusion checkout (never copied into SonoSynth):

    /usr/bin/python3 scripts/reference/guided_diffusion_fixtures.py --guided-diffusion /path/to/guided-diffusion \
        --out tests/SonoSynth.Tests/Fixtures/GuidedDiffusion

For each small config it writes
  NAME.json    the guided-diffusion flags (script_util names) plus in_channels / num_classes,
  NAME.pt.gz   the network's state dict, torch.save'd as guided-diffusion saves checkpoints, then gzipped,
  NAME.npz     x, timesteps, labels (U-Nets) and the network's output for them ("expected").
Weights are a seeded random table of multiples of 1/4, repeated along each tensor (shifted per tensor) and scaled by a
power of two near 1/sqrt(fan_in): float32 values with mostly-zero mantissas that repeat, so the gzipped state dicts
stay small while every weight still matters. Zero-initialised layers get non-zero weights too. Inputs are multiples of
1/64 for the same reason.
"""
import argparse
import gzip
import io
import json
import os
import sys

import numpy as np
import torch as th


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guided-diffusion", default=os.environ.get("GUIDED_DIFFUSION"),
                        help="guided-diffusion checkout (the folder holding guided_diffusion/); or $GUIDED_DIFFUSION")
    parser.add_argument("--out", required=True, help="fixture folder")
    args = parser.parse_args()
    if not args.guided_diffusion or not os.path.isdir(os.path.join(args.guided_diffusion, "guided_diffusion")):
        parser.error("--guided-diffusion must name a checkout of openai/guided-diffusion")
    return args


# Flags of each U-Net fixture, in script_util's names. "in_channels" and "num_classes" are what script_util hard-codes
# (3 and 1000); the small fixtures set them. "builder": "create_model" calls script_util.create_model itself.
UNETS = {
    # 4 heads of num_channels/4 (num_head_channels -1, as the 128x128 model), legacy attention order, learned sigma,
    # class-conditional, resblock up/down, scale-shift norm.
    "unet-heads4-sigma-cond": dict(image_size=16, num_channels=32, num_res_blocks=1, channel_mult="1,2",
                                   attention_resolutions="8,4", num_heads=4, num_head_channels=-1, learn_sigma=True,
                                   class_cond=True, resblock_updown=True, use_scale_shift_norm=True,
                                   use_new_attention_order=False, dropout=0.0, in_channels=3, num_classes=3),
    # 64-channel heads (as the 64/256/512 models), new attention order, unconditional, conv resampling, plain
    # embedding addition (no scale-shift), two res blocks, gray input.
    "unet-head64-new-order": dict(image_size=16, num_channels=32, num_res_blocks=2, channel_mult="1,4",
                                  attention_resolutions="8", num_heads=1, num_head_channels=64, learn_sigma=False,
                                  class_cond=False, resblock_updown=False, use_scale_shift_norm=False,
                                  use_new_attention_order=True, dropout=0.1, in_channels=1, num_classes=0),
    # A fractional first multiplier as in the 512x512 model (0.5 x 64 = 32 channels), gray, learned sigma, 6 classes.
    "unet-half-mult-gray": dict(image_size=16, num_channels=64, num_res_blocks=1, channel_mult="0.5,1",
                                attention_resolutions="8", num_heads=2, num_head_channels=-1, learn_sigma=True,
                                class_cond=True, resblock_updown=True, use_scale_shift_norm=True,
                                use_new_attention_order=False, dropout=0.0, in_channels=1, num_classes=6),
    # script_util.create_model itself at 64 px (channel_mult from the image size: 1,2,3,4), RGB, 1000 classes.
    "unet-create-model-64": dict(builder="create_model", image_size=64, num_channels=32, num_res_blocks=1,
                                 channel_mult="", attention_resolutions="16,8", num_heads=4, num_head_channels=-1,
                                 learn_sigma=True, class_cond=True, resblock_updown=True, use_scale_shift_norm=True,
                                 use_new_attention_order=False, dropout=0.0, in_channels=3, num_classes=1000),
}

# Classifier flags in script_util's names (classifier_*), plus in_channels / num_classes / num_head_channels that
# create_classifier hard-codes (3, 1000, 64).
CLASSIFIERS = {
    "classifier-attention-pool": dict(image_size=16, classifier_width=32, classifier_depth=1, channel_mult="1,2",
                                      classifier_attention_resolutions="8", classifier_use_scale_shift_norm=True,
                                      classifier_resblock_updown=True, classifier_pool="attention",
                                      num_head_channels=32, in_channels=1, num_classes=6),
    "classifier-adaptive-pool": dict(image_size=16, classifier_width=32, classifier_depth=2, channel_mult="1,2",
                                     classifier_attention_resolutions="16,8", classifier_use_scale_shift_norm=False,
                                     classifier_resblock_updown=False, classifier_pool="adaptive",
                                     num_head_channels=32, in_channels=3, num_classes=4),
    "classifier-spatial-pool": dict(image_size=16, classifier_width=32, classifier_depth=1, channel_mult="1,2",
                                    classifier_attention_resolutions="8", classifier_use_scale_shift_norm=True,
                                    classifier_resblock_updown=True, classifier_pool="spatial",
                                    num_head_channels=64, in_channels=1, num_classes=3),
    "classifier-spatial-v2-pool": dict(image_size=16, classifier_width=32, classifier_depth=1, channel_mult="1,2",
                                       classifier_attention_resolutions="8", classifier_use_scale_shift_norm=True,
                                       classifier_resblock_updown=True, classifier_pool="spatial_v2",
                                       num_head_channels=64, in_channels=1, num_classes=3),
    # script_util.create_classifier itself at 64 px (channel_mult 1,2,3,4, 64-channel heads, 1000 classes).
    "classifier-create-classifier-64": dict(builder="create_classifier", image_size=64, classifier_width=32,
                                            classifier_depth=1, channel_mult="", classifier_attention_resolutions="8",
                                            classifier_use_scale_shift_norm=True, classifier_resblock_updown=True,
                                            classifier_pool="attention", num_head_channels=64, in_channels=3,
                                            num_classes=1000),
}


def multipliers(flags):
    return tuple(float(m) if "." in m else int(m) for m in flags["channel_mult"].split(","))


def attention_ds(flags, key):
    return tuple(flags["image_size"] // int(r) for r in flags[key].split(","))


def build_unet(gd, flags):
    from guided_diffusion import script_util
    from guided_diffusion.unet import UNetModel
    if flags.get("builder") == "create_model":
        return script_util.create_model(
            flags["image_size"], flags["num_channels"], flags["num_res_blocks"], channel_mult=flags["channel_mult"],
            learn_sigma=flags["learn_sigma"], class_cond=flags["class_cond"],
            attention_resolutions=flags["attention_resolutions"], num_heads=flags["num_heads"],
            num_head_channels=flags["num_head_channels"], use_scale_shift_norm=flags["use_scale_shift_norm"],
            dropout=flags["dropout"], resblock_updown=flags["resblock_updown"],
            use_new_attention_order=flags["use_new_attention_order"])
    channels = flags["in_channels"]
    return UNetModel(
        image_size=flags["image_size"], in_channels=channels, model_channels=flags["num_channels"],
        out_channels=2 * channels if flags["learn_sigma"] else channels, num_res_blocks=flags["num_res_blocks"],
        attention_resolutions=attention_ds(flags, "attention_resolutions"), dropout=flags["dropout"],
        channel_mult=multipliers(flags), num_classes=flags["num_classes"] if flags["class_cond"] else None,
        num_heads=flags["num_heads"], num_head_channels=flags["num_head_channels"],
        use_scale_shift_norm=flags["use_scale_shift_norm"], resblock_updown=flags["resblock_updown"],
        use_new_attention_order=flags["use_new_attention_order"])


def build_classifier(gd, flags):
    from guided_diffusion import script_util
    from guided_diffusion.unet import EncoderUNetModel
    if flags.get("builder") == "create_classifier":
        return script_util.create_classifier(
            flags["image_size"], False, flags["classifier_width"], flags["classifier_depth"],
            flags["classifier_attention_resolutions"], flags["classifier_use_scale_shift_norm"],
            flags["classifier_resblock_updown"], flags["classifier_pool"])
    return EncoderUNetModel(
        image_size=flags["image_size"], in_channels=flags["in_channels"], model_channels=flags["classifier_width"],
        out_channels=flags["num_classes"], num_res_blocks=flags["classifier_depth"],
        attention_resolutions=attention_ds(flags, "classifier_attention_resolutions"), channel_mult=multipliers(flags),
        num_head_channels=flags["num_head_channels"], use_scale_shift_norm=flags["classifier_use_scale_shift_norm"],
        resblock_updown=flags["classifier_resblock_updown"], pool=flags["classifier_pool"])


TABLE_SIZE = 251  # prime, so the repetition never lines up with channel strides


def power_of_two_near(value):
    return 2.0 ** round(np.log2(value))


def fill_with_pattern(model, seed):
    """Every tensor of the state dict becomes the shared random table, repeated and shifted by the tensor's index."""
    table = (th.randn(TABLE_SIZE, generator=th.Generator().manual_seed(seed), dtype=th.float64) * 4).round() / 4
    modules = dict(model.named_modules())
    with th.no_grad():
        for index, (name, tensor) in enumerate(model.state_dict().items()):
            owner, _, leaf = name.rpartition(".")
            module = modules[owner]
            positions = (th.arange(tensor.numel()) + 131 * index) % TABLE_SIZE
            values = table[positions].reshape(tensor.shape)
            if isinstance(module, th.nn.GroupNorm):
                values = 1 + values / 4 if leaf == "weight" else values / 4
            elif leaf == "positional_embedding":
                values = values * power_of_two_near(tensor.shape[0] ** -0.5)
            elif isinstance(module, th.nn.Embedding):
                pass
            elif leaf == "weight":
                values = values * power_of_two_near(tensor[0].numel() ** -0.5)  # 1/sqrt(fan_in)
            else:
                values = values / 4
            tensor.copy_(values.to(tensor.dtype))


def save_gzipped_state_dict(model, path):
    buffer = io.BytesIO()
    th.save(model.state_dict(), buffer)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as zipped:
        zipped.write(buffer.getvalue())


def main():
    args = parse_args()
    sys.path.insert(0, os.path.abspath(args.guided_diffusion))
    import guided_diffusion as gd
    os.makedirs(args.out, exist_ok=True)
    th.set_num_threads(1)
    generator = th.Generator().manual_seed(20240514)
    for kind, table in (("unet", UNETS), ("classifier", CLASSIFIERS)):
        for seed, (name, flags) in enumerate(table.items()):
            model = build_unet(gd, flags) if kind == "unet" else build_classifier(gd, flags)
            fill_with_pattern(model, 1000 + seed)
            model.eval()
            in_channels, size = flags["in_channels"], flags["image_size"]
            batch = 2 if size <= 32 else 1  # keeps the 64 px outputs small
            x = (th.randn(batch, in_channels, size, size, generator=generator) * 64).round() / 64
            timesteps = th.tensor([3, 917][:batch], dtype=th.int64)
            arrays = dict(x=x.numpy(), timesteps=timesteps.numpy())
            with th.no_grad():
                if kind == "unet" and flags["class_cond"]:
                    labels = th.tensor([flags["num_classes"] - 1, 0][:batch], dtype=th.int64)
                    arrays["labels"] = labels.numpy()
                    expected = model(x, timesteps, labels)
                elif kind == "unet":
                    expected = model(x, timesteps)
                else:
                    expected = model(x, timesteps)
            arrays["expected"] = expected.numpy()
            flags = {k: v for k, v in flags.items() if k != "builder"}
            with open(os.path.join(args.out, name + ".json"), "w") as f:
                json.dump(dict(kind=kind, flags=flags), f, indent=2, sort_keys=True)
                f.write("\n")
            save_gzipped_state_dict(model, os.path.join(args.out, name + ".pt.gz"))
            np.savez_compressed(os.path.join(args.out, name + ".npz"), **arrays)
            print(f"{name}: {sum(p.numel() for p in model.parameters()):,} parameters, output {tuple(expected.shape)}")


if __name__ == "__main__":
    main()
