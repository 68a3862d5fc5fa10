"""guided-diffusion's ADM U-Net (unet.py, UNetModel), condensed, for the PyTorch side of SonoSynth's benchmarks.

Same structure as SonoSynth's UNetModel for the same flags (scale-shift norm, resblock up/down, legacy QKV
attention, zero-initialised output convolutions); the benchmark checks that both count the same parameters.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def zero(module):
    for p in module.parameters():
        p.detach().zero_()
    return module


class GroupNorm32(nn.GroupNorm):
    def forward(self, x):
        return super().forward(x.float()).type(x.dtype)


def norm(channels):
    return GroupNorm32(32, channels)


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = t[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class Sequential(nn.Sequential):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb) if isinstance(layer, ResBlock) else layer(x)
        return x


class Upsample(nn.Module):
    def forward(self, x):
        return F.interpolate(x, scale_factor=2, mode="nearest")


class Downsample(nn.Module):
    def forward(self, x):
        return F.avg_pool2d(x, 2)


class ResBlock(nn.Module):
    def __init__(self, channels, emb_channels, out_channels, up=False, down=False):
        super().__init__()
        self.in_layers = nn.Sequential(norm(channels), nn.SiLU(), nn.Conv2d(channels, out_channels, 3, padding=1))
        self.updown = up or down
        self.h_upd = Upsample() if up else Downsample() if down else nn.Identity()
        self.x_upd = Upsample() if up else Downsample() if down else nn.Identity()
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_channels, 2 * out_channels))
        self.out_layers = nn.Sequential(norm(out_channels), nn.SiLU(), nn.Dropout(0.0),
                                        zero(nn.Conv2d(out_channels, out_channels, 3, padding=1)))
        self.skip_connection = nn.Identity() if out_channels == channels else nn.Conv2d(channels, out_channels, 1)

    def forward(self, x, emb):
        if self.updown:
            h = self.in_layers[:-1](x)
            h = self.h_upd(h)
            x = self.x_upd(x)
            h = self.in_layers[-1](h)
        else:
            h = self.in_layers(x)
        scale, shift = torch.chunk(self.emb_layers(emb)[..., None, None], 2, dim=1)
        h = self.out_layers[0](h) * (1 + scale) + shift
        h = self.out_layers[1:](h)
        return self.skip_connection(x) + h


class AttentionBlock(nn.Module):
    def __init__(self, channels, head_channels):
        super().__init__()
        self.heads = channels // head_channels
        self.norm = norm(channels)
        self.qkv = nn.Conv1d(channels, channels * 3, 1)
        self.proj_out = zero(nn.Conv1d(channels, channels, 1))

    def forward(self, x):
        b, c, *spatial = x.shape
        x = x.reshape(b, c, -1)
        qkv = self.qkv(self.norm(x))
        bs, width, length = qkv.shape
        ch = width // (3 * self.heads)
        q, k, v = qkv.reshape(bs * self.heads, ch * 3, length).split(ch, dim=1)
        scale = 1 / math.sqrt(math.sqrt(ch))
        weight = torch.softmax(torch.einsum("bct,bcs->bts", q * scale, k * scale).float(), dim=-1).type(q.dtype)
        h = torch.einsum("bts,bcs->bct", weight, v).reshape(bs, -1, length)
        return (x + self.proj_out(h)).reshape(b, c, *spatial)


class UNetModel(nn.Module):
    def __init__(self, image_size, in_channels, model_channels, num_res_blocks, channel_mult, attention_resolutions,
                 num_classes, head_channels):
        super().__init__()
        attention_ds = {image_size // r for r in attention_resolutions}
        emb = model_channels * 4
        self.model_channels = model_channels
        self.time_embed = nn.Sequential(nn.Linear(model_channels, emb), nn.SiLU(), nn.Linear(emb, emb))
        self.label_emb = nn.Embedding(num_classes, emb)
        ch = input_ch = channel_mult[0] * model_channels
        self.input_blocks = nn.ModuleList([Sequential(nn.Conv2d(in_channels, ch, 3, padding=1))])
        chans, ds = [ch], 1
        for level, mult in enumerate(channel_mult):
            for _ in range(num_res_blocks):
                layers = [ResBlock(ch, emb, mult * model_channels)]
                ch = mult * model_channels
                if ds in attention_ds:
                    layers.append(AttentionBlock(ch, head_channels))
                self.input_blocks.append(Sequential(*layers))
                chans.append(ch)
            if level != len(channel_mult) - 1:
                self.input_blocks.append(Sequential(ResBlock(ch, emb, ch, down=True)))
                chans.append(ch)
                ds *= 2
        self.middle_block = Sequential(ResBlock(ch, emb, ch), AttentionBlock(ch, head_channels), ResBlock(ch, emb, ch))
        self.output_blocks = nn.ModuleList()
        for level, mult in list(enumerate(channel_mult))[::-1]:
            for i in range(num_res_blocks + 1):
                layers = [ResBlock(ch + chans.pop(), emb, model_channels * mult)]
                ch = model_channels * mult
                if ds in attention_ds:
                    layers.append(AttentionBlock(ch, head_channels))
                if level and i == num_res_blocks:
                    layers.append(ResBlock(ch, emb, ch, up=True))
                    ds //= 2
                self.output_blocks.append(Sequential(*layers))
        self.out = nn.Sequential(norm(ch), nn.SiLU(), zero(nn.Conv2d(input_ch, in_channels, 3, padding=1)))

    def forward(self, x, timesteps, y):
        emb = self.time_embed(timestep_embedding(timesteps, self.model_channels)) + self.label_emb(y)
        hs, h = [], x
        for block in self.input_blocks:
            h = block(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for block in self.output_blocks:
            h = block(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


# SonoSynth's presets (UNetConfig.CpuTiny / CpuSmall / Adm128), grayscale, 6 classes.
PRESETS = {
    "cpu-tiny": dict(image_size=32, in_channels=1, model_channels=32, num_res_blocks=1, channel_mult=(1, 2, 2),
                     attention_resolutions=(8,), num_classes=6, head_channels=32),
    "cpu-small": dict(image_size=64, in_channels=1, model_channels=64, num_res_blocks=1, channel_mult=(1, 2, 2, 2),
                      attention_resolutions=(16, 8), num_classes=6, head_channels=64),
    "adm128": dict(image_size=128, in_channels=1, model_channels=256, num_res_blocks=2, channel_mult=(1, 1, 2, 3, 4),
                   attention_resolutions=(32, 16, 8), num_classes=6, head_channels=64),
}
