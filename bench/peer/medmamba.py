"""MedMamba-T (Yue & Li 2024; MedMamba.py's VSSM) for the PyTorch side of SonoSynth's benchmarks.

The same network as SonoSynth's MedMamba (patch embedding, SS-Conv-SSM blocks of a conv branch and an SS2D branch,
channel shuffle, patch merging, mean pool, head), with the selective scan done by the step-by-step reference
(selective_scan_ref semantics, from tests/SonoSynth.Tests/Models/Fixtures/selective_scan_reference.py): the scan
Mamba users get on a CPU, where the official kernel (CUDA) does not run. Parameters: 14,454,150 for 1 channel and
6 classes, as SonoSynth's.
"""
import math
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests/SonoSynth.Tests/Models/Fixtures"))
from selective_scan_reference import selective_scan_reference  # noqa: E402


class SS2D(nn.Module):
    """in_proj to x and gate z, depthwise 3x3 conv + SiLU, scans along 4 directions, LayerNorm, gate, out_proj."""

    def __init__(self, d_model, d_state=16, expand=2):
        super().__init__()
        self.d_inner = expand * d_model
        self.d_state = d_state
        self.dt_rank = math.ceil(d_model / 16)
        self.in_proj = nn.Linear(d_model, 2 * self.d_inner, bias=False)
        self.conv2d = nn.Conv2d(self.d_inner, self.d_inner, 3, padding=1, groups=self.d_inner, bias=True)
        self.x_proj_weight = nn.Parameter(torch.empty(4, self.dt_rank + 2 * d_state, self.d_inner).uniform_(-self.d_inner ** -0.5, self.d_inner ** -0.5))
        self.dt_projs_weight = nn.Parameter(torch.empty(4, self.d_inner, self.dt_rank).uniform_(-self.dt_rank ** -0.5, self.dt_rank ** -0.5))
        dt = torch.exp(torch.rand(4, self.d_inner) * (math.log(0.1) - math.log(0.001)) + math.log(0.001)).clamp(min=1e-4)
        self.dt_projs_bias = nn.Parameter(dt + torch.log(-torch.expm1(-dt)))
        self.A_logs = nn.Parameter(torch.log(torch.arange(1, d_state + 1, dtype=torch.float32)).repeat(4 * self.d_inner, 1))
        self.Ds = nn.Parameter(torch.ones(4 * self.d_inner))
        self.out_norm = nn.LayerNorm(self.d_inner)
        self.out_proj = nn.Linear(self.d_inner, d_model, bias=False)

    def forward(self, x):
        batch, height, width, _ = x.shape
        length = height * width
        x, z = self.in_proj(x).chunk(2, dim=-1)
        x = F.silu(self.conv2d(x.permute(0, 3, 1, 2).contiguous()))
        row_col = torch.stack([x.view(batch, -1, length), x.transpose(2, 3).contiguous().view(batch, -1, length)], dim=1)
        xs = torch.cat([row_col, row_col.flip(-1)], dim=1)  # [B, 4, D, L]
        x_dbl = torch.einsum("bkdl,kcd->bkcl", xs, self.x_proj_weight)
        dts, bs, cs = x_dbl.split([self.dt_rank, self.d_state, self.d_state], dim=2)
        dts = torch.einsum("bkrl,kdr->bkdl", dts, self.dt_projs_weight)
        y = selective_scan_reference(xs.reshape(batch, -1, length), dts.reshape(batch, -1, length),
                                     -torch.exp(self.A_logs), bs, cs, D=self.Ds, delta_bias=self.dt_projs_bias.view(-1),
                                     delta_softplus=True).view(batch, 4, -1, length)
        flipped = y[:, 2:4].flip(-1)
        columns = y[:, 1].view(batch, -1, width, height).transpose(2, 3).reshape(batch, -1, length)
        flipped_columns = flipped[:, 1].view(batch, -1, width, height).transpose(2, 3).reshape(batch, -1, length)
        y = y[:, 0] + flipped[:, 0] + columns + flipped_columns
        y = self.out_norm(y.transpose(1, 2).reshape(batch, height, width, -1))
        return self.out_proj(y * F.silu(z))


class DropPath(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        keep = x.new_empty(x.shape[0], 1, 1, 1).bernoulli_(1 - self.p)
        return x * keep / (1 - self.p)


class SSConvSSM(nn.Module):
    def __init__(self, hidden_dim, drop_path, d_state):
        super().__init__()
        half = hidden_dim // 2
        self.ln_1 = nn.LayerNorm(half)
        self.self_attention = SS2D(half, d_state)
        self.drop_path = DropPath(drop_path)
        self.conv33conv33conv11 = nn.Sequential(
            nn.BatchNorm2d(half), nn.Conv2d(half, half, 3, padding=1), nn.BatchNorm2d(half), nn.ReLU(),
            nn.Conv2d(half, half, 3, padding=1), nn.BatchNorm2d(half), nn.ReLU(), nn.Conv2d(half, half, 1), nn.ReLU())

    def forward(self, x):
        left, right = x.chunk(2, dim=-1)
        right = self.drop_path(self.self_attention(self.ln_1(right)))
        left = self.conv33conv33conv11(left.permute(0, 3, 1, 2).contiguous()).permute(0, 2, 3, 1)
        out = torch.cat([left, right], dim=-1)
        batch, height, width, channels = out.shape
        out = out.view(batch, height, width, 2, channels // 2).transpose(3, 4).reshape(batch, height, width, channels)
        return out + x


class PatchMerging2D(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(4 * dim)

    def forward(self, x):
        height, width = x.shape[1] // 2 * 2, x.shape[2] // 2 * 2
        x = x[:, :height, :width]
        x = torch.cat([x[:, 0::2, 0::2], x[:, 1::2, 0::2], x[:, 0::2, 1::2], x[:, 1::2, 1::2]], dim=-1)
        return self.reduction(self.norm(x))


class VSSM(nn.Module):
    def __init__(self, in_channels, num_classes, depths=(2, 2, 4, 2), dims=(96, 192, 384, 768), d_state=16, drop_path_rate=0.1):
        super().__init__()
        self.patch_embed = nn.Sequential(nn.Conv2d(in_channels, dims[0], 4, stride=4))
        self.patch_norm = nn.LayerNorm(dims[0])
        rates = torch.linspace(0, drop_path_rate, sum(depths)).tolist()
        layers, offset = [], 0
        for i, depth in enumerate(depths):
            blocks = [SSConvSSM(dims[i], rates[offset + j], d_state) for j in range(depth)]
            offset += depth
            if i < len(depths) - 1:
                blocks.append(PatchMerging2D(dims[i]))
            layers.append(nn.Sequential(*blocks))
        self.layers = nn.Sequential(*layers)
        self.head = nn.Linear(dims[-1], num_classes)

    def forward(self, x):
        x = self.patch_norm(self.patch_embed(x).permute(0, 2, 3, 1))
        return self.head(self.layers(x).mean(dim=(1, 2)))


def medmamba_t(in_channels, num_classes):
    return VSSM(in_channels, num_classes)


if __name__ == "__main__":
    print(sum(p.numel() for p in medmamba_t(1, 6).parameters()))
