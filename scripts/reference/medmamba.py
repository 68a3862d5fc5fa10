#!/usr/bin/python3
"""MedMamba's own model code as the reference for SonoSynth's MedMamba-T (test: Models/MedMambaReferenceTests).

Run with Debian's python and PyTorch (apt-get install python3-torch python3-numpy), on a checkout of MedMamba
(github.com/YubiaoYue/MedMamba; scripts/reference/fetch-medmamba.sh clones the commit this was written against):

    /usr/bin/python3 scripts/reference/medmamba.py OUT_DIR --medmamba MEDMAMBA_DIR [--image-size 64] [--dims 8,16,32,64]

Builds MedMamba.py's VSSM as its medmamba_t (depths 2-2-4-2, dims 96-192-384-768, 6 classes) with a 1-channel patch
embedding (or, with --dims, the same depths at narrower widths: the committed test fixture in
tests/SonoSynth.Tests/Models/Fixtures/medmamba/ is --dims 8,16,32,64, small enough to commit, so CI needs no network), seeded weights in which every tensor is random (LayerNorm/BatchNorm affine and statistics, biases, A_logs
and Ds included, so a tensor loaded into the wrong place, or a scan direction mixed up, changes the logits), and
writes PREFIX.pt (torch.save(state_dict)), PREFIX-input.npy ([2, 1, S, S] float32 in [0, 1]) and PREFIX-logits.npy
([2, 6] float32, eval mode), where PREFIX is medmamba_t, or medmamba_d8 with --dims 8,....

MedMamba's SS2D calls mamba_ssm's CUDA kernel selective_scan_fn. Here it calls selective_scan_ref below instead:
mamba_ssm 1.0.1's reference semantics (the version MedMamba's requirements pin), written out in this script for real
inputs with grouped B and C of shape (batch, groups, state, length) as SS2D passes them. MedMamba.py's own
flops_selective_scan_ref quotes the same loop. Nothing of MedMamba is copied here: its file is executed from
MEDMAMBA_DIR, minus the demo lines at its end that build models on CUDA. einops and timm (not in Debian) are replaced
by the few functions MedMamba.py uses from them, defined below.
"""
import argparse
import json
import os
import sys
import types

import numpy as np
import torch
import torch.nn.functional as F

SEED = 1403


def selective_scan_ref(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False, return_last_state=False):
    """mamba_ssm's selective_scan_ref for real tensors.

    u, delta: (batch, dim, length); A: (dim, state); B, C: (batch, groups, state, length) with dim = groups * H;
    D: (dim); z: (batch, dim, length) or None; delta_bias: (dim). Returns (batch, dim, length):
    h_t = exp(delta_t * A) * h_{t-1} + delta_t * B_t * u_t,  y_t = <h_t, C_t> + D * u_t  (then * silu(z) if given).
    """
    dtype_in = u.dtype
    u = u.float()
    delta = delta.float()
    if delta_bias is not None:
        delta = delta + delta_bias[..., None].float()
    if delta_softplus:
        delta = F.softplus(delta)
    batch, dim, state = u.shape[0], A.shape[0], A.shape[1]
    assert B.dim() == 4 and C.dim() == 4, "SS2D passes grouped B and C"
    B = B.float().repeat_interleave(dim // B.shape[1], dim=1)  # "B G N L -> B (G H) N L"
    C = C.float().repeat_interleave(dim // C.shape[1], dim=1)
    delta_a = torch.exp(torch.einsum("bdl,dn->bdln", delta, A))
    delta_b_u = torch.einsum("bdl,bdnl,bdl->bdln", delta, B, u)
    x = A.new_zeros((batch, dim, state))
    ys = []
    for i in range(u.shape[2]):
        x = delta_a[:, :, i] * x + delta_b_u[:, :, i]
        ys.append(torch.einsum("bdn,bdn->bd", x, C[:, :, :, i]))
    y = torch.stack(ys, dim=2)
    out = y if D is None else y + u * D[:, None]
    if z is not None:
        out = out * F.silu(z)
    out = out.to(dtype=dtype_in)
    return (out, x) if return_last_state else out


def repeat(tensor, pattern, **sizes):
    """einops.repeat for the patterns MedMamba's initialisers use: one new leading axis ("n -> d n", "d n -> r d n")."""
    left, right = (side.split() for side in pattern.split("->"))
    if right[1:] != left or len(right) != len(left) + 1:
        raise NotImplementedError(f"repeat pattern {pattern!r}")
    return tensor.unsqueeze(0).expand(sizes[right[0]], *tensor.shape)


def rearrange(tensor, pattern, **sizes):
    raise NotImplementedError(f"rearrange {pattern!r}: only MedMamba's decoder (PatchExpand2D) uses it, which VSSM does not build")


class DropPath(torch.nn.Module):
    """timm's DropPath; the reference runs in eval mode, where it is the identity."""

    def __init__(self, drop_prob=0.0):
        super().__init__()
        self.drop_prob = drop_prob

    def forward(self, x):
        assert not self.training or self.drop_prob == 0.0, "the reference runs in eval mode"
        return x


def install_shims():
    einops = types.ModuleType("einops")
    einops.repeat, einops.rearrange = repeat, rearrange
    timm = types.ModuleType("timm")
    timm.models = types.ModuleType("timm.models")
    layers = types.ModuleType("timm.models.layers")
    layers.DropPath = DropPath
    layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
    layers.trunc_normal_ = torch.nn.init.trunc_normal_
    timm.models.layers = layers
    sys.modules.update({"einops": einops, "timm": timm, "timm.models": timm.models, "timm.models.layers": layers})


def load_medmamba(folder):
    """Executes MedMamba.py up to its demo lines (which build models on CUDA) and returns its namespace."""
    path = os.path.join(folder, "MedMamba.py")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    cut = source.find("\nmedmamba_t = VSSM(")
    if cut < 0:
        raise SystemExit(f"{path}: the demo line 'medmamba_t = VSSM(' was not found; is this MedMamba's MedMamba.py?")
    install_shims()
    namespace = {"__name__": "MedMamba", "__file__": path}
    exec(compile(source[:cut], path, "exec"), namespace)
    namespace["selective_scan_fn"] = selective_scan_ref  # SS2D.forward_corev0 looks the kernel up by this name
    return namespace


@torch.no_grad()
def randomise_constants(model, generator):
    """Replaces the tensors MedMamba initialises to constants (norm affine and statistics, biases, A_logs, Ds)."""
    for name, tensor in model.state_dict().items():
        if not tensor.is_floating_point():
            continue
        noise = torch.randn(tensor.shape, generator=generator)
        if name == "head.weight":  # logits of order 1 (MedMamba's 0.02 init gives ~0.1), so a tolerance means something
            tensor.copy_(noise / tensor.shape[1] ** 0.5)
        elif name.endswith("running_var"):
            tensor.copy_(torch.rand(tensor.shape, generator=generator) + 0.5)
        elif name.endswith("running_mean") or (name.endswith("bias") and not name.endswith("dt_projs_bias")):
            tensor.copy_(0.1 * noise)
        elif name.endswith("A_logs"):
            tensor.add_(0.1 * noise)  # log(1..16) per state, now different per channel and direction
        elif name.endswith("Ds") or tensor.dim() == 1:  # skip gains, BatchNorm / LayerNorm weights
            tensor.copy_(1 + 0.1 * noise)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--medmamba", default=os.environ.get("SONOSYNTH_MEDMAMBA_DIR"),
                        help="folder with MedMamba's MedMamba.py (default: $SONOSYNTH_MEDMAMBA_DIR)")
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--dims", default="96,192,384,768", help="the four stage widths (default: medmamba_t's)")
    args = parser.parse_args()
    if not args.medmamba:
        parser.error("pass --medmamba MEDMAMBA_DIR or set SONOSYNTH_MEDMAMBA_DIR (scripts/reference/fetch-medmamba.sh clones it)")
    torch.set_num_threads(2)
    medmamba = load_medmamba(args.medmamba)

    torch.manual_seed(SEED)
    # MedMamba.py's medmamba_t (or its depths at --dims), with SonoSynth's 1-channel input.
    dims = [int(d) for d in args.dims.split(",")]
    if len(dims) != 4:
        parser.error(f"--dims takes four widths, got {args.dims!r}")
    prefix = "medmamba_t" if dims == [96, 192, 384, 768] else f"medmamba_d{dims[0]}"
    model = medmamba["VSSM"](depths=[2, 2, 4, 2], dims=dims, num_classes=6, in_chans=1)
    randomise_constants(model, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    size = args.image_size
    x = torch.rand(2, 1, size, size, generator=torch.Generator().manual_seed(SEED + 2))
    with torch.no_grad():
        logits = model(x)
    torch.save(model.state_dict(), os.path.join(args.out_dir, f"{prefix}.pt"))
    np.save(os.path.join(args.out_dir, f"{prefix}-input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(args.out_dir, f"{prefix}-logits.npy"), logits.numpy().astype(np.float32))
    print(json.dumps({"torch": torch.__version__, "image_size": size, "dims": dims, "prefix": prefix, "tensors": len(model.state_dict()),
                      "parameters": sum(p.numel() for p in model.parameters()), "max_abs_logit": float(logits.abs().max())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
