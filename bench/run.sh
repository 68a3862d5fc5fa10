#!/usr/bin/env bash
# Every measurement of bench/README.md in one sitting: SonoSynth's steps and the same steps in Debian's PyTorch
# (python3-torch), with the same thread count, alternating side by side in interleaved rounds; then the README's
# generated tables are rewritten from this sitting's rows (bench/report.py). Installs python3-torch and
# python3-torchvision if missing. About 35 minutes on 2 cores with 3 rounds.
#   bench/run.sh [threads] [rounds]            (defaults: 2 threads, 3 rounds)
# Not part of it, each with its own script and dated section: the op-level profile (bench/profile.sh), the adm128
# memory table (hours of CPU: unet-memory --presets adm128) and the CLI's memory curves (bench/memory.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"; rounds="${2:-3}"
if ! /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-torch python3-torchvision
fi
dotnet build bench/SonoSynth.Bench -c Release --nologo -v quiet
bench() { dotnet bench/SonoSynth.Bench/bin/Release/net10.0/SonoSynth.Bench.dll "$@" --threads "$threads"; }
peer() { /usr/bin/python3 bench/peer/torch_peer.py "$@" --threads "$threads"; }
mkdir -p bench/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="bench/results/$stamp.jsonl"
# What the sitting ran on and how busy the machine was: the report prints both, since a busy sitting reads slow.
sitting() {
  printf '{"sitting": "%s", "time": "%s", "commit": "%s", "cpu": "%s", "cores": %s, "threads": %s, "loadavg": "%s"}\n' \
    "$1" "$(date -u +%FT%TZ)" "$(git rev-parse --short HEAD)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" \
    "$(nproc)" "$threads" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
}
sitting start
bench matmul --warmup 2 --repeats 5 | tee -a "$out"
for model in vit_b_32 swin_t; do /usr/bin/python3 bench/peer/layers.py flops --model "$model" | tee -a "$out"; done
for round in $(seq "$rounds"); do
  echo "{\"round\": $round}" | tee -a "$out"
  for model in resnet50 densenet169; do
    bench classifiers --models "$model" --warmup 1 --repeats 3 | tee -a "$out"
    peer --models "$model" --warmup 1 --repeats 3 | tee -a "$out"
  done
  # Debian's PyTorch multiplies matrices with the reference BLAS (minutes per ViT/Swin step), so the transformers
  # are read against the machine's matmul peak instead of a peer.
  bench classifiers --models vit_b_32,swin_t --warmup 1 --repeats 3 | tee -a "$out"
  # MedMamba-T against Swin-T at the issue's shape, in alternating order.
  pair=swin_t,medmamba_t; [ $((round % 2)) -eq 0 ] && pair=medmamba_t,swin_t
  bench classifiers --models "$pair" --batch 8 --warmup 1 --repeats 5 | tee -a "$out"
  bench diffusion --presets cpu-tiny,cpu-small --batch 16 --warmup 1 --repeats 3 | tee -a "$out"
  peer --unet cpu-tiny,cpu-small --batch 16 --warmup 1 --repeats 3 | tee -a "$out"
  bench sampling --batch 16 --repeats 2 | tee -a "$out"
  peer --sampling --batch 16 --repeats 2 | tee -a "$out"
  bench fid --batch 32 --warmup 1 --repeats 3 | tee -a "$out"
  peer --fid --batch 32 --warmup 1 --repeats 3 | tee -a "$out"
done
echo '{"round": null}' | tee -a "$out"
bench diffusion --presets adm128 --batch 1 --repeats 2 --warmup 1 | tee -a "$out"
peer --unet adm128 --batch 1 --repeats 2 --warmup 1 | tee -a "$out"
for checkpoint in "" --use-checkpoint; do
  MALLOC_MMAP_THRESHOLD_=131072 bench unet-memory --presets cpu-small --batch 8 --warmup 1 --repeats 3 $checkpoint | tee -a "$out"
done
bench scaling --repeats 2 | tee -a "$out"
sitting end
dotnet bench/SonoSynth.Bench/bin/Release/net10.0/SonoSynth.Bench.dll plot-scaling "$out" --out-prefix bench/results/scaling
/usr/bin/python3 bench/report.py "$out" --readme bench/README.md
echo "results: $out"
