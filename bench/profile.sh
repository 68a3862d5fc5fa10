#!/usr/bin/env bash
# Op-level profile beside the whole-step bench: every leaf layer of torchvision's ResNet50, DenseNet169, ViT-B/32 and
# Swin-T timed alone in SonoSynth (libtorch 2.10) and in Debian's PyTorch 1.13, plus both whole training and inference
# steps, in interleaved rounds; then the tables of bench/README.md ("Where the time goes").
#   bench/profile.sh [rounds] [threads] [models]      (defaults: 3 rounds, 2 threads, resnet50,densenet169,vit_b_32,swin_t)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"; threads="${2:-2}"; models="${3:-resnet50,densenet169,vit_b_32,swin_t}"
dotnet build bench/SonoSynth.Bench -c Release --nologo -v quiet
bench() { dotnet bench/SonoSynth.Bench/bin/Release/net10.0/SonoSynth.Bench.dll "$@" --threads "$threads"; }
py() { /usr/bin/python3 "$@" --threads "$threads"; }
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="bench/results/$stamp-layers.jsonl"
layers=()
mkdir -p bench/results
bench matmul --warmup 2 --repeats 5 | tee -a "$out"
for model in ${models//,/ }; do
  spec="bench/results/$stamp-$model-layers.json"
  /usr/bin/python3 bench/peer/layers.py shapes --model "$model" > "$spec"
  layers+=("$spec")
  # Debian's PyTorch multiplies matrices with the reference BLAS (minutes per transformer step): one timed call there.
  peer_repeats=5; case "$model" in vit_b_32|swin_t) peer_repeats=1 ;; esac
  for round in $(seq "$rounds"); do
    bench layers --layers "$spec" --warmup 2 --repeats 5 | tee -a "$out"
    py bench/peer/layers.py time --layers "$spec" --warmup 1 --repeats "$peer_repeats" | tee -a "$out"
    bench classifiers --models "$model" --warmup 1 --repeats 3 | tee -a "$out"
    py bench/peer/torch_peer.py --models "$model" --warmup 1 --repeats "$peer_repeats" | tee -a "$out"
  done
done
/usr/bin/python3 bench/peer/layers.py report --results "$out" "${layers[@]}" | tee "bench/results/$stamp-layers.md"
