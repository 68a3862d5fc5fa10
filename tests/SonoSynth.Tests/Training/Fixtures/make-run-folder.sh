#!/usr/bin/env bash
# Writes Fixtures/run-folder/: the metadata files of a finished 'classify train' run (train-settings.json, regime.json,
# predictions.csv), as the CLI writes them, so RunFolder is tested against files it did not write itself.
# The weights are not kept (RunFolderTests only reads the metadata). Usage: make-run-folder.sh [sonosynth-command]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
sonosynth="${1:-$root/sonosynth}"
work="$(mktemp -d /tmp/sonosynth-run-folder.XXXXXX)"
trap 'rm -rf "$work"' EXIT
"$sonosynth" data phantom --out "$work/real" --per-class 4 --size 32 --seed 1 >/dev/null
"$sonosynth" data phantom --out "$work/synthetic" --per-class 3 --size 32 --seed 2 >/dev/null
"$sonosynth" classify train --arch small_cnn --data "$work/real" --synthetic "$work/synthetic" --regime pretrain-finetune \
  --epochs 2 --pretrain-epochs 1 --batch-size 8 --lr 0.0003 --augment none --image-size 16 --val-fraction 0.25 \
  --test-fraction 0.25 --split patient --split-seed 3 --out "$work/run" --seed 5 --threads 1 >/dev/null
mkdir -p "$here/run-folder"
cp "$work/run/train-settings.json" "$work/run/regime.json" "$work/run/predictions.csv" "$here/run-folder/"
