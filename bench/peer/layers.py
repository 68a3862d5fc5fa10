#!/usr/bin/env python3
"""Layer-by-layer profile of a torchvision classifier, the op-level half of bench/profile.sh.

  layers.py shapes --model resnet50 [--batch 32 --size 128] > layers.json
      Runs one forward pass of torchvision's model (1 input channel, 6 classes, as SonoSynth builds it) with hooks on
      its leaf modules and writes each distinct leaf call once, with its count: kind, input shape and the module's
      hyper-parameters. This list is what both peers time, so SonoSynth's side never decides which ops a model has.
  layers.py time --layers layers.json [--threads 2 --warmup 2 --repeats 5]
      Times every listed layer alone in this PyTorch: forward, and forward + backward (gradients of input and
      parameters from a random output gradient). One JSON line per layer.
  layers.py flops --model vit_b_32 [--batch 32 --size 128]
      One JSON line: the forward pass's FLOPs (2 per multiply-add) in convolutions and matrix products, as
      torch.profiler counts them on torchvision's model; padding that the model computes counts as work.
  layers.py report --results RESULTS.jsonl layers.json...
      The tables of bench/README.md: per model and layer kind, the summed time of both peers (median over rounds),
      their ratio, GFLOP/s of convolutions and matrix products, and the rest of the whole step.

The C# peer is `SonoSynth.Bench layers --layers layers.json`; it runs the same kinds through libtorch 2.10's
functional ops with the same shapes. Kinds: conv2d, batch_norm, relu, max_pool2d, avg_pool2d, adaptive_avg_pool2d,
linear, layer_norm, gelu. Whatever a model does outside these leaves (attention inside MultiheadAttention or
shifted_window_attention, window shuffles, residual adds, concatenations, the optimizer) is not listed: the report
gives it as the whole step minus the listed layers.
"""
import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from torch_peer import classifier  # noqa: E402  (the same model definitions as the whole-step bench)


def describe(module, shape):
    """The kind and hyper-parameters of a leaf module, or None for leaves that do no work (dropout, identity)."""
    n = torch.nn
    if isinstance(module, n.Conv2d):
        return {"kind": "conv2d", "in": module.in_channels, "out": module.out_channels, "kernel": list(module.kernel_size),
                "stride": list(module.stride), "padding": list(module.padding), "groups": module.groups,
                "bias": module.bias is not None}
    if isinstance(module, n.BatchNorm2d):
        return {"kind": "batch_norm"}
    if isinstance(module, n.ReLU):
        return {"kind": "relu"}
    if isinstance(module, n.MaxPool2d):
        return {"kind": "max_pool2d", "kernel": module.kernel_size, "stride": module.stride, "padding": module.padding}
    if isinstance(module, n.AvgPool2d):
        return {"kind": "avg_pool2d", "kernel": module.kernel_size, "stride": module.stride}
    if isinstance(module, n.AdaptiveAvgPool2d):
        return {"kind": "adaptive_avg_pool2d", "output": 1}
    if isinstance(module, n.Linear):
        return {"kind": "linear", "out": module.out_features, "bias": module.bias is not None}
    if isinstance(module, n.LayerNorm):
        return {"kind": "layer_norm"}
    if isinstance(module, n.GELU):
        return {"kind": "gelu"}
    return None


def shapes(args):
    model = classifier(args.model, 1, 6).train()
    calls = {}

    def hook(module, inputs, _output):
        layer = describe(module, inputs[0].shape)
        if layer is None:
            return
        layer["input"] = list(inputs[0].shape)
        key = json.dumps(layer, sort_keys=True)
        calls.setdefault(key, {**layer, "count": 0})["count"] += 1

    for module in model.modules():
        if len(list(module.children())) == 0:
            module.register_forward_hook(hook)
    model(torch.rand(args.batch, 1, args.size, args.size))
    json.dump({"model": args.model, "batch": args.batch, "size": args.size, "layers": list(calls.values())}, sys.stdout, indent=1)
    print()


def build(layer):
    """The layer as a function of its input, with parameters that need gradients."""
    kind, shape = layer["kind"], layer["input"]
    if kind == "conv2d":
        weight = torch.randn(layer["out"], layer["in"] // layer["groups"], *layer["kernel"], requires_grad=True)
        bias = torch.randn(layer["out"], requires_grad=True) if layer["bias"] else None
        return lambda x: F.conv2d(x, weight, bias, layer["stride"], layer["padding"], 1, layer["groups"])
    if kind == "batch_norm":
        c = shape[1]
        weight, bias = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        mean, var = torch.zeros(c), torch.ones(c)
        return lambda x: F.batch_norm(x, mean, var, weight, bias, training=True, momentum=0.1, eps=1e-5)
    if kind == "relu":
        return F.relu
    if kind == "max_pool2d":
        return lambda x: F.max_pool2d(x, layer["kernel"], layer["stride"], layer["padding"])
    if kind == "avg_pool2d":
        return lambda x: F.avg_pool2d(x, layer["kernel"], layer["stride"])
    if kind == "adaptive_avg_pool2d":
        return lambda x: F.adaptive_avg_pool2d(x, 1)
    if kind == "linear":
        weight = torch.randn(layer["out"], shape[-1], requires_grad=True)
        bias = torch.randn(layer["out"], requires_grad=True) if layer["bias"] else None
        return lambda x: F.linear(x, weight, bias)
    if kind == "layer_norm":
        c = shape[-1]
        weight, bias = torch.ones(c, requires_grad=True), torch.zeros(c, requires_grad=True)
        return lambda x: F.layer_norm(x, [c], weight, bias, 1e-6)
    if kind == "gelu":
        return F.gelu
    raise SystemExit(f"unknown layer kind {kind}")


def median_seconds(step, warmup, repeats):
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_layers(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    spec = json.load(open(args.layers))
    for index, layer in enumerate(spec["layers"]):
        function = build(layer)
        x = torch.rand(*layer["input"]) + 0.1

        def forward():
            with torch.no_grad():
                function(x)

        x_grad = x.clone().requires_grad_()
        grad_output = torch.randn_like(function(x_grad).detach())

        def train():
            function(x_grad).backward(grad_output)

        print(json.dumps({"model": spec["model"], "index": index, "kind": layer["kind"], "count": layer["count"],
                          "peer": "pytorch", "torch": torch.__version__, "threads": args.threads,
                          "forward_s": median_seconds(forward, args.warmup, args.repeats),
                          "train_s": median_seconds(train, args.warmup, args.repeats)}), flush=True)


def flops(layer):
    """Multiply-adds x 2 of one forward call (convolutions and linear layers; 0 for the rest)."""
    shape = layer["input"]
    if layer["kind"] == "conv2d":
        (kh, kw), (sh, sw), (ph, pw) = layer["kernel"], layer["stride"], layer["padding"]
        out_h, out_w = (shape[2] + 2 * ph - kh) // sh + 1, (shape[3] + 2 * pw - kw) // sw + 1
        return 2 * shape[0] * layer["out"] * out_h * out_w * layer["in"] // layer["groups"] * kh * kw
    if layer["kind"] == "linear":
        rows = 1
        for d in shape[:-1]:
            rows *= d
        return 2 * rows * shape[-1] * layer["out"]
    return 0


def report(args):
    records = [json.loads(line) for line in open(args.results) if line.startswith("{")]
    peak = max((r["gflops"] for r in records if r.get("name", "").startswith("matmul/")), default=None)
    if peak:
        print(f"Matmul peak (libtorch, square float32 product, best of n = 512/1024/2048): {peak:.0f} GFLOP/s\n")
    for path in args.layers:
        spec = json.load(open(path))
        model = spec["model"]

        def medians(peer, field):
            by_index = {}
            for r in records:
                if r.get("model") == model and r.get("peer") == peer and "index" in r:
                    by_index.setdefault(r["index"], []).append(r[field])
            return {i: statistics.median(v) for i, v in by_index.items()}

        def step(peer, phase):
            times = [r["median_s"] for r in records if r.get("name") == f"{model}/{phase}" and r.get("peer") == peer]
            return statistics.median(times) if times else None

        print(f"### {model}, batch {spec['batch']}, 1x{spec['size']}²\n")
        print("| layers | calls | ours fwd+bwd (s) | PyTorch fwd+bwd (s) | speed ratio | ours GFLOP/s | ours forward (s) | PyTorch forward (s) | speed ratio |")
        print("|---|---|---|---|---|---|---|---|---|")
        totals = {"sonosynth": [0.0, 0.0], "pytorch": [0.0, 0.0]}
        for kind in dict.fromkeys(l["kind"] for l in spec["layers"]):
            rows = [(i, l) for i, l in enumerate(spec["layers"]) if l["kind"] == kind]
            cells, complete = {}, True
            for peer in totals:
                train, forward = medians(peer, "train_s"), medians(peer, "forward_s")
                if any(i not in train for i, _ in rows):
                    cells[peer] = None
                    continue
                t = sum(l["count"] * train[i] for i, l in rows)
                f = sum(l["count"] * forward[i] for i, l in rows)
                cells[peer] = (t, f)
                totals[peer][0] += t
                totals[peer][1] += f
            work = sum(l["count"] * flops(l) for _, l in rows)
            ours, theirs = cells["sonosynth"], cells["pytorch"]
            fmt = lambda c, k: "—" if c is None else f"{c[k]:.3f}"
            ratio = lambda k: "—" if ours is None or theirs is None else f"{theirs[k] / ours[k]:.2f}×"
            gflops = "—" if ours is None or work == 0 else f"{3 * work / ours[0] / 1e9:.0f}"
            print(f"| {kind} | {sum(l['count'] for _, l in rows)} | {fmt(ours, 0)} | {fmt(theirs, 0)} | {ratio(0)} | {gflops} "
                  f"| {fmt(ours, 1)} | {fmt(theirs, 1)} | {ratio(1)} |")
        ours_train, theirs_train = step("sonosynth", "train"), step("pytorch", "train")
        ours_infer, theirs_infer = step("sonosynth", "infer"), step("pytorch", "infer")
        fmt = lambda v: "—" if v is None else f"{v:.3f}"
        ratio = lambda a, b: "—" if a is None or b is None else f"{b / a:.2f}×"
        o, p = totals["sonosynth"], totals["pytorch"]
        print(f"| **listed layers** | | {o[0]:.3f} | {p[0]:.3f} | {ratio(o[0], p[0])} | | {o[1]:.3f} | {p[1]:.3f} | {ratio(o[1], p[1])} |")
        print(f"| **whole step** (train: Adam) | | {fmt(ours_train)} | {fmt(theirs_train)} | {ratio(ours_train, theirs_train)} | "
              f"| {fmt(ours_infer)} | {fmt(theirs_infer)} | {ratio(ours_infer, theirs_infer)} |")
        rest = lambda step_s, listed: None if step_s is None else step_s - listed
        ro, rp, fo, fp = rest(ours_train, o[0]), rest(theirs_train, p[0]), rest(ours_infer, o[1]), rest(theirs_infer, p[1])
        print(f"| rest (attention, shuffles, adds, concatenations, optimizer, overhead) | | {fmt(ro)} | {fmt(rp)} | | | {fmt(fo)} | {fmt(fp)} | |\n")


def forward_flops(args):
    model = classifier(args.model, 1, 6).eval()
    with torch.no_grad(), torch.profiler.profile(with_flops=True) as profile:
        model(torch.rand(args.batch, 1, args.size, args.size))
    work = sum(e.flops for e in profile.key_averages() if e.key in ("aten::conv2d", "aten::mm", "aten::addmm", "aten::bmm"))
    print(json.dumps({"name": f"{args.model}/flops", "peer": "pytorch", "torch": torch.__version__, "batch": args.batch,
                      "size": args.size, "forward_flops": work}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("shapes")
    s.add_argument("--model", required=True)
    s.add_argument("--batch", type=int, default=32)
    s.add_argument("--size", type=int, default=128)
    t = sub.add_parser("time")
    t.add_argument("--layers", required=True)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--warmup", type=int, default=2)
    t.add_argument("--repeats", type=int, default=5)
    f = sub.add_parser("flops")
    f.add_argument("--model", required=True)
    f.add_argument("--batch", type=int, default=32)
    f.add_argument("--size", type=int, default=128)
    r = sub.add_parser("report")
    r.add_argument("--results", required=True)
    r.add_argument("layers", nargs="+")
    args = parser.parse_args()
    {"shapes": shapes, "time": time_layers, "flops": forward_flops, "report": report}[args.command](args)


if __name__ == "__main__":
    main()
