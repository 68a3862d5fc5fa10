#!/usr/bin/python3
"""torchvision's own classifiers as the reference for SonoSynth's (tests: Interop/TorchvisionReferenceTests).

Run with Debian's python and PyTorch (apt-get install python3-torch python3-torchvision python3-numpy), not a
virtual environment's python:

    /usr/bin/python3 scripts/reference/torchvision_classifiers.py make OUT_DIR ARCH [ARCH ...]
    /usr/bin/python3 scripts/reference/torchvision_classifiers.py check-export EXPORTED.pt ARCH \
        [--reference ARCH.pt] [--input X.npy --logits Y.npy]

make: for each ARCH (resnet50, densenet169, vit_b_32, swin_t) builds torchvision's model for SonoSynth's setting
(a 1-channel first convolution, 6 classes, 128x128 input; vit_b_32 with image_size=128), with seeded weights in
which every tensor is random (BatchNorm statistics and affine, LayerNorm affine, biases and ViT's zero-initialised
head included, so a tensor loaded into the wrong place changes the logits). Writes ARCH.pt
(torch.save(state_dict), zip format), ARCH-input.npy ([2, 1, 128, 128] float32 in [0, 1]) and ARCH-logits.npy
([2, 6] float32, eval mode). The files are hundreds of MB, so the tests make them in a temporary folder.

check-export: loads EXPORTED.pt (written by `sonosynth model export --format pytorch`) into torchvision's ARCH with
load_state_dict(strict=True) and prints a JSON report: the key count, with --reference the largest difference of any
tensor from that file's (0 when identical), and with --input/--logits the largest difference between torchvision's
logits on the input and the given logits. It exits 1 if the strict load fails (the error is in the report).
"""
import argparse
import json
import sys

import numpy as np
import torch
import torchvision

ARCHITECTURES = ("resnet50", "densenet169", "vit_b_32", "swin_t")
IMAGE_SIZE = 128
CLASSES = 6
SEEDS = {"resnet50": 50, "densenet169": 169, "vit_b_32": 32, "swin_t": 7}


def build(arch):
    """torchvision's model with SonoSynth's 1-channel first convolution (as docs/pytorch-interop.md says to build it)."""
    if arch == "resnet50":
        model = torchvision.models.resnet50(num_classes=CLASSES)
        model.conv1 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "densenet169":
        model = torchvision.models.densenet169(num_classes=CLASSES)
        model.features.conv0 = torch.nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    elif arch == "vit_b_32":
        model = torchvision.models.vit_b_32(image_size=IMAGE_SIZE, num_classes=CLASSES)
        model.conv_proj = torch.nn.Conv2d(1, 768, kernel_size=32, stride=32)
    elif arch == "swin_t":
        model = torchvision.models.swin_t(num_classes=CLASSES)
        model.features[0][0] = torch.nn.Conv2d(1, 96, kernel_size=4, stride=4)
    else:
        raise SystemExit(f"unknown architecture {arch!r}; choose from {', '.join(ARCHITECTURES)}")
    return model


@torch.no_grad()
def randomise_constants(model, generator):
    """Replaces the tensors torchvision initialises to constants (norm affine and statistics, biases, ViT's head)."""
    for name, tensor in model.state_dict().items():
        if not tensor.is_floating_point():
            continue  # num_batches_tracked, swin's relative_position_index
        noise = torch.randn(tensor.shape, generator=generator)
        if name.endswith("running_var"):
            tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
        elif name.endswith("running_mean") or name.endswith("bias"):
            tensor.copy_(0.1 * noise)
        elif tensor.dim() == 1:  # BatchNorm / LayerNorm weight
            tensor.copy_(1 + 0.1 * noise)
        elif "heads.head" in name or name == "class_token":
            tensor.copy_(0.02 * noise)


def make(out_dir, archs):
    manifest = {"torch": torch.__version__, "torchvision": torchvision.__version__, "models": {}}
    for arch in archs:
        torch.manual_seed(SEEDS[arch])
        model = build(arch)
        randomise_constants(model, torch.Generator().manual_seed(SEEDS[arch] + 1))
        model.eval()
        x = torch.rand(2, 1, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(SEEDS[arch] + 2))
        with torch.no_grad():
            logits = model(x)
        torch.save(model.state_dict(), f"{out_dir}/{arch}.pt")
        np.save(f"{out_dir}/{arch}-input.npy", x.numpy().astype(np.float32))
        np.save(f"{out_dir}/{arch}-logits.npy", logits.numpy().astype(np.float32))
        manifest["models"][arch] = {"seed": SEEDS[arch], "tensors": len(model.state_dict()),
                                    "max_abs_logit": float(logits.abs().max())}
    with open(f"{out_dir}/manifest.json", "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest))


def check_export(path, arch, reference, input_path, logits_path):
    report = {"file": path, "arch": arch, "torch": torch.__version__, "torchvision": torchvision.__version__}
    state = torch.load(path, map_location="cpu")
    model = build(arch)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as error:
        report["strict_load"] = False
        report["error"] = str(error)
        print(json.dumps(report))
        return 1
    report["strict_load"] = True
    report["tensors"] = len(state)
    report["float32"] = all(t.dtype == torch.float32 for t in state.values() if t.is_floating_point())
    if reference:
        expected = torch.load(reference, map_location="cpu")
        report["reference_tensors"] = len(expected)
        report["max_tensor_diff"] = max(
            (state[k].double() - expected[k].double()).abs().max().item() if state[k].numel() else 0.0 for k in expected)
    if input_path:
        model.eval()
        with torch.no_grad():
            logits = model(torch.from_numpy(np.load(input_path)).float())
        given = torch.from_numpy(np.load(logits_path)).double()
        report["max_logit_diff"] = (logits.double() - given).abs().max().item()
        report["max_abs_logit"] = logits.abs().max().item()
    print(json.dumps(report))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make_parser = commands.add_parser("make")
    make_parser.add_argument("out_dir")
    make_parser.add_argument("archs", nargs="+", choices=ARCHITECTURES)
    check = commands.add_parser("check-export")
    check.add_argument("exported")
    check.add_argument("arch", choices=ARCHITECTURES)
    check.add_argument("--reference")
    check.add_argument("--input")
    check.add_argument("--logits")
    args = parser.parse_args()
    torch.set_num_threads(2)
    if args.command == "make":
        make(args.out_dir, args.archs)
        return 0
    if (args.input is None) != (args.logits is None):
        parser.error("--input and --logits go together")
    return check_export(args.exported, args.arch, args.reference, args.input, args.logits)


if __name__ == "__main__":
    sys.exit(main())
