#!/usr/bin/env bash
# Runs SonoSynth's benchmarks and the same steps in Debian's PyTorch (python3-torch), alternately, with the same
# thread count, and writes bench/results/<date>.jsonl. Installs python3-torch and python3-torchvision if missing.
#   bench/run.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
threads="${1:-2}"
if ! /usr/bin/python3 -c "import torch, torchvision" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-torch python3-torchvision
fi
dotnet build bench/SonoSynth.Bench -c Release --nologo -v quiet
bench() { dotnet bench/SonoSynth.Bench/bin/Release/net10.0/SonoSynth.Bench.dll "$@" --threads "$threads"; }
peer() { /usr/bin/python3 bench/peer/torch_peer.py "$@" --threads "$threads"; }
mkdir -p bench/results
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ).jsonl"
for model in resnet50 densenet169; do
  bench classifiers --models "$model" --repeats 5 | tee -a "$out"
  peer --models "$model" --repeats 5 | tee -a "$out"
done
# Debian's PyTorch sends matrix products to the reference BLAS (~3 GFLOP/s): a ViT/Swin step takes minutes there,
# so the peer runs one timed step after one warm-up.
for model in vit_b_32 swin_t; do
  bench classifiers --models "$model" --repeats 5 | tee -a "$out"
  peer --models "$model" --repeats 1 --warmup 1 | tee -a "$out"
done
bench classifiers --models medmamba_t --batch 8 --repeats 2 --warmup 1 | tee -a "$out"
bench diffusion --presets cpu-tiny,cpu-small --batch 16 | tee -a "$out"
peer --unet cpu-tiny,cpu-small --batch 16 | tee -a "$out"
bench diffusion --presets adm128 --batch 1 --repeats 2 --warmup 1 | tee -a "$out"
peer --unet adm128 --batch 1 --repeats 2 --warmup 1 | tee -a "$out"
bench sampling --batch 16 --repeats 2 | tee -a "$out"
peer --sampling --batch 16 --repeats 2 | tee -a "$out"
bench fid --batch 32 --repeats 3 | tee -a "$out"
peer --fid --batch 32 --repeats 3 | tee -a "$out"
echo "results: $out"
