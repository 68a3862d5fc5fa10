#!/usr/bin/python3
"""Reference numbers from pytorch-fid's own code, for SonoSynth's FID tests.

Run with Debian's python (python3-torch, torchvision, scipy, PIL), pointing at a pytorch-fid checkout (never copied
into SonoSynth):

    /usr/bin/python3 scripts/reference/pytorch_fid_reference.py --pytorch-fid /path/to/pytorch-fid \
        --out tests/SonoSynth.Tests/Fixtures/PytorchFid

The FID Inception weights (pt_inception-2015-12-05) cannot be downloaded here, so pytorch-fid's network gets
closed-form weights instead (closed_form_weights below; the C# tests compute the same values bit for bit). The test
images are closed-form too (test_image below): PNG folders are rebuilt by the tests; JPEG files are committed,
because the compressed bytes depend on the encoder (PIL's here). It writes
  expected.json         FID per folder kind, exactly as `python -m pytorch_fid A B` computes it
                        (pytorch_fid.fid_score.calculate_fid_given_paths), plus a digest of each folder's pixels;
  pool3.npz             two RGB images (uint8, native size) and pytorch-fid InceptionV3's pool3 features for them;
  jpeg-a/, jpeg-b/      the JPEG folders.
"""
import argparse
import hashlib
import json
import os
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

MASK = 0xFFFFFFFF


def fnv1a(text):
    h = 2166136261
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 16777619) & MASK
    return h


def mix(x):
    """A 32-bit integer hash (uint64 arrays holding 32-bit values)."""
    x = x ^ (x >> np.uint64(16))
    x = (x * np.uint64(0x45D9F3B)) & np.uint64(MASK)
    return x ^ (x >> np.uint64(16))


def uniform(name, count):
    """count values in [-1, 1): element j of tensor `name` is mix(fnv1a(name) + j * 2654435761 mod 2^32) / 2^31 - 1."""
    j = np.arange(count, dtype=np.uint64)
    x = (np.uint64(fnv1a(name)) + j * np.uint64(2654435761)) & np.uint64(MASK)
    return mix(x).astype(np.float64) / 4294967296.0 * 2 - 1


def closed_form_weights(state_dict):
    """He-uniform convolutions, BatchNorm near identity with non-trivial statistics, small fc; float64 then float32."""
    result = {}
    for name, tensor in state_dict.items():
        if name.endswith("num_batches_tracked"):
            result[name] = torch.zeros_like(tensor)
            continue
        v = uniform(name, tensor.numel())
        if name.endswith("conv.weight"):
            values = v * np.sqrt(6.0 / (tensor.numel() // tensor.shape[0]))
        elif name.endswith("bn.weight"):
            values = 1 + 0.1 * v
        elif name.endswith("bn.running_var"):
            values = 1 + 0.25 * (v + 1)
        elif name.endswith(("bn.bias", "bn.running_mean")):
            values = 0.1 * v
        else:  # fc.weight, fc.bias
            values = 0.01 * v
        result[name] = torch.from_numpy(values.astype(np.float32)).reshape(tensor.shape)
    return result


def test_image(kind_seed, index, height, width, channels, block, offset):
    """uint8 [height, width, channels]: hashed blocks of `block` px blended with a diagonal ramp, plus a brightness offset."""
    y = np.arange(height, dtype=np.uint64)[:, None, None]
    x = np.arange(width, dtype=np.uint64)[None, :, None]
    c = np.arange(channels, dtype=np.uint64)[None, None, :]
    seed = np.uint64((kind_seed * 1000003 + index * 7919) & MASK)
    key = (seed + (y // np.uint64(block)) * np.uint64(131) + (x // np.uint64(block)) * np.uint64(31) + c * np.uint64(17)) & np.uint64(MASK)
    base = mix(key) & np.uint64(255)
    ramp = (x + y + np.uint64(index * 13)) * np.uint64(255) // np.uint64(width + height + 13 * 64)
    value = (base * np.uint64(3) + ramp) // np.uint64(4) + np.uint64(offset)
    return np.minimum(value, 255).astype(np.uint8)


# kind → (height, width, channels, format, [(seed, block, offset) for folder a, b]); 20 images per folder.
KINDS = {
    "gray-png": (128, 128, 1, "png", [(1, 8, 0), (2, 16, 24)]),
    "rgb-png": (100, 150, 3, "png", [(3, 10, 0), (4, 5, 16)]),
    "rgb-jpeg": (90, 120, 3, "jpeg", [(5, 6, 0), (6, 12, 20)]),
}
IMAGES_PER_FOLDER = 20


def write_folder(folder, kind, side):
    height, width, channels, fmt, sides = KINDS[kind]
    seed, block, offset = sides[side]
    os.makedirs(folder, exist_ok=True)
    digest = hashlib.sha256()
    for index in range(IMAGES_PER_FOLDER):
        pixels = test_image(seed, index, height, width, channels, block, offset)
        digest.update(pixels.tobytes())
        image = Image.fromarray(pixels[:, :, 0] if channels == 1 else pixels, "L" if channels == 1 else "RGB")
        if fmt == "png":
            image.save(os.path.join(folder, f"{index:03d}.png"))
        else:
            image.save(os.path.join(folder, f"{index:03d}.jpg"), quality=90)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pytorch-fid", default=os.environ.get("PYTORCH_FID"),
                        help="pytorch-fid checkout (the folder holding src/pytorch_fid); or $PYTORCH_FID")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    source = os.path.join(args.pytorch_fid or "", "src")
    if not os.path.isdir(os.path.join(source, "pytorch_fid")):
        parser.error("--pytorch-fid must name a checkout of mseitzer/pytorch-fid")
    sys.path.insert(0, os.path.abspath(source))
    import pytorch_fid.inception as inception
    from pytorch_fid import fid_score

    torch.set_num_threads(2)
    # pytorch-fid downloads its weights in fid_inception_v3(); hand it the closed-form state dict instead.
    layout = inception._inception_v3(num_classes=1008, aux_logits=False, weights=None).state_dict()
    weights = closed_form_weights(layout)
    inception.load_state_dict_from_url = lambda *a, **k: weights

    os.makedirs(args.out, exist_ok=True)
    expected = {"images_per_folder": IMAGES_PER_FOLDER, "kinds": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for kind, (height, width, channels, fmt, _) in KINDS.items():
            folders = []
            digests = []
            for side, letter in enumerate("ab"):
                folder = os.path.join(args.out if fmt == "jpeg" else scratch, f"{kind.split('-')[1]}-{letter}" if fmt == "jpeg" else f"{kind}-{letter}")
                digests.append(write_folder(folder, kind, side))
                folders.append(folder)
            fid = fid_score.calculate_fid_given_paths(folders, batch_size=50, device="cpu", dims=2048, num_workers=0)
            expected["kinds"][kind] = dict(height=height, width=width, channels=channels, format=fmt, fid=float(fid),
                                           sides=[list(side) for side in KINDS[kind][4]], pixel_sha256=digests)
            print(f"{kind}: FID {fid!r}")

        # pool3 features of two rgb-png images through pytorch-fid's InceptionV3 (resize to 299, 2x - 1, blocks).
        model = inception.InceptionV3([inception.InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).eval()
        height, width, channels, _, sides = KINDS["rgb-png"]
        images = np.stack([test_image(sides[0][0], i, height, width, channels, sides[0][1], sides[0][2]) for i in (0, 1)])
        batch = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255  # torchvision's ToTensor
        with torch.no_grad():
            features = model(batch)[0].squeeze(3).squeeze(2).numpy()
        np.savez_compressed(os.path.join(args.out, "pool3.npz"), images=images, features=features)
    with open(os.path.join(args.out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
