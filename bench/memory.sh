#!/usr/bin/env bash
# Runs a command and records its resident memory (VmRSS of the process and its children) every few seconds, so a
# long run's memory curve can be checked for leaks (bench/README.md, "Memory").
#   bench/memory.sh OUT.csv [--every SECONDS] [--progress FILE] -- command args...
# OUT.csv gets: seconds,rss_mib,progress  (progress = lines in FILE, e.g. a run's epochs.csv or manifest.csv).
set -euo pipefail
out="$1"; shift
every=2; progress=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    --every) every="$2"; shift 2 ;;
    --progress) progress="$2"; shift 2 ;;
    *) echo "unknown option $1 (usage: bench/memory.sh OUT.csv [--every S] [--progress FILE] -- command...)" >&2; exit 2 ;;
  esac
done
[ "${1:-}" = "--" ] && shift
[ "$#" -gt 0 ] || { echo "no command given after --" >&2; exit 2; }
mkdir -p "$(dirname "$out")"
echo "seconds,rss_mib,progress" > "$out"
"$@" & pid=$!
start=$(date +%s.%N)
rss_of_tree() {  # the command may start children (a wrapper, a sub-process): sum the whole tree
  local total kb child
  total=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || true)
  total=${total:-0}
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    kb=$(rss_of_tree "$child"); total=$(( total + kb ))
  done
  echo "$total"
}
while kill -0 "$pid" 2>/dev/null; do
  kb=$(rss_of_tree "$pid")
  lines=0; [ -n "$progress" ] && [ -f "$progress" ] && lines=$(wc -l < "$progress")
  now=$(date +%s.%N)
  awk -v t="$now" -v s="$start" -v kb="$kb" -v n="$lines" 'BEGIN { printf "%.1f,%.1f,%d\n", t - s, kb / 1024, n }' >> "$out"
  sleep "$every"
done
wait "$pid"
