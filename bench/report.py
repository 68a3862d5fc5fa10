#!/usr/bin/env python3
"""The generated tables of bench/README.md, from one sitting's rows of bench/run.sh.

  bench/report.py bench/results/STAMP.jsonl                       prints the tables
  bench/report.py bench/results/STAMP.jsonl --readme bench/README.md
      rewrites each block between <!-- generated:NAME --> and <!-- /generated:NAME --> in the README (and prints)

Rows are grouped by the {"round": N} lines run.sh writes between interleaved rounds. A step's time is the median of
its rounds' medians; its speed ratio is PyTorch's time / ours in each round (> 1: SonoSynth is faster), and the
median of those ratios. Only the Python standard library is used, so the report does not depend on either peer.
"""
import argparse
import json
import re
import statistics
import sys

SPEED_ROWS = [
    ("resnet50/train", "ResNet50 train (Adam, cross-entropy)"),
    ("resnet50/infer", "ResNet50 inference"),
    ("densenet169/train", "DenseNet169 train"),
    ("densenet169/infer", "DenseNet169 inference"),
    ("unet-cpu-tiny/train", "U-Net cpu-tiny train (AdamW, ε-MSE)"),
    ("unet-cpu-tiny/forward", "U-Net cpu-tiny forward"),
    ("unet-cpu-small/train", "U-Net cpu-small train"),
    ("unet-cpu-small/forward", "U-Net cpu-small forward"),
    ("sampling-cpu-tiny-ddim25", "Sampling, cpu-tiny, DDIM-25"),
    ("fid-inception-features", "FID features (Inception-v3 pool3, 299²)"),
    ("unet-adm128/forward", "U-Net adm128 forward (420 M parameters)"),
]
TRANSFORMERS = [("vit_b_32", "ViT-B/32"), ("swin_t", "Swin-T")]


def load(path):
    rows, current_round = [], None
    for line in open(path, encoding="utf-8"):
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        if "round" in row and "name" not in row:
            current_round = row["round"]
            continue
        row["_round"] = current_round
        rows.append(row)
    return rows


def pick(rows, name, peer, batch=None, memory=False):
    """Timing rows of one step; memory=True picks unet-memory's rows, which share the step's name but carry RSS."""
    return [r for r in rows if r.get("name") == name and r.get("peer") == peer and (batch is None or r.get("batch") == batch)
            and bool((r.get("extra") or {}).get("steady_rss_mib")) == memory]


def by_round(rows):
    out = {}
    for r in rows:
        out.setdefault(r["_round"], []).append(r["median_s"])
    return {k: statistics.median(v) for k, v in out.items()}


def seconds(value):
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def sitting(rows):
    marks = {r["sitting"]: r for r in rows if "sitting" in r}
    start, end = marks.get("start"), marks.get("end")
    if not start:
        return "(no sitting line: rows not written by bench/run.sh)"
    text = (f"Sitting of {start['time'][:16].replace('T', ' ')} UTC (commit {start['commit']}): {start['cpu']}, "
            f"{start['cores']} cores, {start['threads']} threads for both peers; load average {start['loadavg']} at the start")
    return text + (f", {end['loadavg']} at the end ({end['time'][11:16]} UTC)." if end else ".")


def speed(rows):
    lines = ["| step | shape | SonoSynth (s) | PyTorch 1.13 (s) | speed ratio per round | median ratio |",
             "|---|---|---|---|---|---|"]
    for name, label in SPEED_ROWS:
        ours, theirs = by_round(pick(rows, name, "sonosynth")), by_round(pick(rows, name, "pytorch"))
        if not ours or not theirs:
            continue
        shape = pick(rows, name, "sonosynth")[0]
        rounds = [k for k in ours if k in theirs]
        ratios = [theirs[k] / ours[k] for k in rounds]
        lines.append(f"| {label} | {shape['batch']}×1×{shape['size']}² | {seconds(statistics.median(ours.values()))} | "
                     f"{seconds(statistics.median(theirs.values()))} | {', '.join(f'{x:.2f}' for x in ratios)} | "
                     f"**{statistics.median(ratios):.2f}×** |")
    return "\n".join(lines)


def transformers(rows):
    peak = max((r["gflops"] for r in rows if r.get("name", "").startswith("matmul/")), default=None)
    if peak is None:
        return "(no matmul rows)"
    sizes = ", ".join(f"{r['gflops']:.0f}" for r in rows if r.get("name", "").startswith("matmul/"))
    lines = [f"Matmul peak (libtorch's square float32 product at n = 512, 1024, 2048: {sizes} GFLOP/s): **{peak:.0f} GFLOP/s**.",
             "",
             "| model, batch 32, 1×128² | forward work (torch.profiler) | training step (s) | GFLOP/s | share of peak | inference (s) | GFLOP/s | share of peak |",
             "|---|---|---|---|---|---|---|---|"]
    for model, label in TRANSFORMERS:
        flops = next((r["forward_flops"] for r in rows if r.get("name") == f"{model}/flops"), None)
        train = by_round(pick(rows, f"{model}/train", "sonosynth", 32))
        infer = by_round(pick(rows, f"{model}/infer", "sonosynth", 32))
        if flops is None or not train or not infer:
            continue
        t, i = statistics.median(train.values()), statistics.median(infer.values())
        lines.append(f"| {label} | {flops / 1e9:.1f} GFLOP | {seconds(t)} | {3 * flops / t / 1e9:.0f} | **{3 * flops / t / 1e9 / peak:.0%}** | "
                     f"{seconds(i)} | {flops / i / 1e9:.0f} | {flops / i / 1e9 / peak:.0%} |")
    return "\n".join(lines)


def medmamba(rows):
    swin, mamba = by_round(pick(rows, "swin_t/train", "sonosynth", 8)), by_round(pick(rows, "medmamba_t/train", "sonosynth", 8))
    lines = ["| round (order) | Swin-T (s) | MedMamba-T (s) | MedMamba-T ÷ Swin-T |", "|---|---|---|---|"]
    ratios = []
    for k in [k for k in swin if k in mamba]:
        order = "Swin-T first" if k % 2 else "MedMamba-T first"
        ratios.append(mamba[k] / swin[k])
        lines.append(f"| {k} ({order}) | {seconds(swin[k])} | {seconds(mamba[k])} | {ratios[-1]:.2f} |")
    if ratios:
        lines.append(f"| **median** | | | **{statistics.median(ratios):.2f}** |")
    return "\n".join(lines)


def memory(rows):
    lines = ["| U-Net cpu-small, batch 8 | steady state | forward + backward above it | optimizer update above it | peak | step time |",
             "|---|---|---|---|---|---|"]
    for name, label in [("unet-cpu-small/train", "without recomputation"), ("unet-cpu-small/train-checkpoint", "`--use-checkpoint`")]:
        for r in pick(rows, name, "sonosynth", memory=True):
            e = r["extra"]
            lines.append(f"| {label} | {e['steady_rss_mib']:,.0f} MiB | {e['forward_backward_mib']:,.0f} MiB | "
                         f"{e['optimizer_mib']:,.0f} MiB | {e['peak_rss_mib']:,.0f} MiB | {seconds(r['median_s'])} s |")
    return "\n".join(lines)


def scaling(rows):
    shapes = [(8, 64), (16, 64), (32, 64), (8, 128), (8, 256)]
    lines = ["| network (training step) | " + " | ".join(f"batch {b}, {s} px" for b, s in shapes) + " |",
             "|---|" + "---|" * len(shapes)]
    for name, label in [("scaling/resnet50", "ResNet50"), ("scaling/unet-cpu-small", "U-Net cpu-small (attention at size/4 and size/8)")]:
        cells = []
        for b, s in shapes:
            hit = [r["median_s"] for r in rows if r.get("name") == name and r["batch"] == b and r["size"] == s]
            cells.append(f"{seconds(hit[0])} s" if hit else "—")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results")
    parser.add_argument("--readme")
    args = parser.parse_args()
    rows = load(args.results)
    source = args.results.split("bench/", 1)[-1]
    blocks = {
        "sitting": f"{sitting(rows)} Rows: `{source}`.",
        "speed": speed(rows),
        "transformers": transformers(rows),
        "medmamba": medmamba(rows),
        "memory": memory(rows),
        "scaling": scaling(rows),
    }
    for name, text in blocks.items():
        print(f"## {name}\n\n{text}\n")
    if args.readme:
        readme = open(args.readme, encoding="utf-8").read()
        for name, text in blocks.items():
            pattern = re.compile(rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- /generated:{name} -->)", re.S)
            if not pattern.search(readme):
                sys.exit(f"{args.readme}: no <!-- generated:{name} --> ... <!-- /generated:{name} --> block to fill; add one where the table belongs.")
            readme = pattern.sub(lambda m: m.group(1) + text + "\n" + m.group(2), readme)
        open(args.readme, "w", encoding="utf-8").write(readme)
        print(f"rewrote the generated blocks of {args.readme}")


if __name__ == "__main__":
    main()
