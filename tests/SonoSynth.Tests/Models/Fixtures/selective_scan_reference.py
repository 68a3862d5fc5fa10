#!/usr/bin/python3
"""Reference values for SonoSynth's selective scan (tests/SonoSynth.Tests/Models/SelectiveScanTests.cs).

Run with Debian's python3-torch: /usr/bin/python3 selective_scan_reference.py [out.npz]
(default: selective_scan_reference.npz next to this script).

The scan follows the semantics of Mamba's selective_scan_ref (Gu & Dao 2023), written here from its definition,
one time step after another, in float64:
    delta <- softplus(delta + delta_bias)          (each step optional)
    h_t = exp(delta_t * A) * h_{t-1} + delta_t * u_t * B_t,   h_{-1} = 0
    y_t = <C_t, h_t> + D * u_t,   out_t = y_t * silu(z_t)   (D and z optional)
Shapes as in Mamba: u, delta, z [batch, dim, L]; A [dim, S]; B, C [batch, groups, S, L], where group g serves the
channels g*dim/groups .. (g+1)*dim/groups - 1; D, delta_bias [dim]. Gradients come from torch.autograd on this loop,
for the loss sum(out * weights).

Inputs are drawn in float64 and rounded to float32, so a float32 implementation sees exactly the inputs the
reference used. Everything is stored as float32 (outputs and gradients rounded from float64, a relative change of
at most 6e-8) to keep the file small.
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def selective_scan_reference(u, delta, A, B, C, D=None, z=None, delta_bias=None, delta_softplus=False):
    if delta_bias is not None:
        delta = delta + delta_bias[:, None]
    if delta_softplus:
        delta = F.softplus(delta)
    batch, dim, length = u.shape
    per_group = dim // B.shape[1]
    B = B.repeat_interleave(per_group, dim=1)  # [batch, dim, S, L]
    C = C.repeat_interleave(per_group, dim=1)
    h = torch.zeros(batch, dim, A.shape[1], dtype=u.dtype)
    ys = []
    for t in range(length):
        h = torch.exp(delta[:, :, t, None] * A) * h + (delta[:, :, t] * u[:, :, t])[:, :, None] * B[:, :, :, t]
        ys.append((h * C[:, :, :, t]).sum(-1))
    y = torch.stack(ys, dim=-1)
    if D is not None:
        y = y + D[:, None] * u
    if z is not None:
        y = y * F.silu(z)
    return y


def case(name, generator, batch, groups, per_group, states, length, delta_raw, A, softplus, bias, with_d, with_z):
    """Draws one case's inputs (delta_raw and A are callables of a shape) and returns its arrays, keyed name/field."""
    dim = groups * per_group

    def draw(*shape, scale=1.0):
        return torch.randn(*shape, generator=generator, dtype=torch.float64) * scale

    inputs = {
        "u": draw(batch, dim, length),
        "delta": delta_raw((batch, dim, length)),
        "A": A((dim, states)),
        "B": draw(batch, groups, states, length),
        "C": draw(batch, groups, states, length),
    }
    if with_d:
        inputs["D"] = draw(dim)
    if with_z:
        inputs["z"] = draw(batch, dim, length)
    if bias:
        inputs["delta_bias"] = draw(dim, scale=0.5)
    # The reference sees exactly what a float32 implementation sees.
    inputs = {k: v.float().double().requires_grad_() for k, v in inputs.items()}
    weights = draw(batch, dim, length).float().double()
    out = selective_scan_reference(inputs["u"], inputs["delta"], inputs["A"], inputs["B"], inputs["C"],
                                   D=inputs.get("D"), z=inputs.get("z"), delta_bias=inputs.get("delta_bias"),
                                   delta_softplus=softplus)
    (out * weights).sum().backward()
    arrays = {f"{name}/{k}": v.detach().numpy().astype(np.float32) for k, v in inputs.items()}
    arrays[f"{name}/weights"] = weights.numpy().astype(np.float32)
    arrays[f"{name}/softplus"] = np.array(float(softplus))
    arrays[f"{name}/out"] = out.detach().numpy().astype(np.float32)
    for k, v in inputs.items():
        arrays[f"{name}/grad_{k}"] = v.grad.numpy().astype(np.float32)
    return arrays


def main():
    out_path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("selective_scan_reference.npz")
    generator = torch.Generator().manual_seed(2024)

    def uniform(low, high):
        return lambda shape: low + (high - low) * torch.rand(*shape, generator=generator, dtype=torch.float64)

    def log_uniform_negative(low, high):
        # A = -exp(U(log low, log high)): per-channel decay rates spread over several decades.
        return lambda shape: -torch.exp(uniform(np.log(low), np.log(high))(shape))

    arrays = {}
    # Shallow decays: softplus(delta + bias) ~ 0.02, |delta A| ~ 0.02 per step, so states keep most of their past.
    arrays.update(case("shallow", generator, 2, 2, 3, 5, 37,
                       delta_raw=lambda shape: -4.0 + 0.5 * torch.randn(*shape, generator=generator, dtype=torch.float64),
                       A=uniform(-1.5, -0.5), softplus=True, bias=True, with_d=True, with_z=True))
    # Steep decays: delta A down to about -120 per step (the state forgets everything each step). No D, z, bias or
    # softplus: the optional arguments left out.
    arrays.update(case("steep", generator, 2, 2, 3, 5, 37, delta_raw=uniform(2.0, 6.0), A=uniform(-20.0, -5.0),
                       softplus=False, bias=False, with_d=False, with_z=False))
    # MedMamba's shape of the problem: 4 groups (scan directions), 16 states, decays from 0.01 to 30 per unit delta.
    arrays.update(case("mixed", generator, 2, 4, 2, 16, 33,
                       delta_raw=lambda shape: 2.0 * torch.randn(*shape, generator=generator, dtype=torch.float64),
                       A=log_uniform_negative(0.01, 30.0), softplus=True, bias=True, with_d=True, with_z=True))
    # A long sequence with Mamba's initialisation: A = -(1..16), delta = softplus(.) in about [0.001, 0.1].
    arrays.update(case("long", generator, 1, 1, 2, 16, 130,
                       delta_raw=uniform(-7.0, -2.3), A=lambda shape: -torch.arange(1, shape[1] + 1, dtype=torch.float64).repeat(shape[0], 1),
                       softplus=True, bias=False, with_d=True, with_z=False))
    np.savez_compressed(out_path, **arrays)
    print(f"wrote {out_path} ({out_path.stat().st_size} bytes, {len(arrays)} arrays)")


if __name__ == "__main__":
    main()
