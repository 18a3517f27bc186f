#!/usr/bin/env bash
# make bench: every figure of docs/benchmarks.md with its baseline, from one run on this machine.
# Results go to bench-results/<time>/ (not committed); copy the figures into docs/benchmarks.md.
#   tests/bench/run.sh [BUILD_DIR]
# Environment: BENCH_FILTER (Google Benchmark regex, default all), BENCH_SECONDS (load phases,
# default 20), BENCH_REPLAY_SIZES (default "10000 100000 1000000").
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
seconds=${BENCH_SECONDS:-20}

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with local changes)')"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} | tee "$out/machine.txt"

echo "== aggregator_bench (Google Benchmark)"
"$build/bin/homeward_bench" --benchmark_filter="${BENCH_FILTER:-.}" \
  --benchmark_out="$out/aggregator_bench.json" --benchmark_out_format=json | tee "$out/aggregator_bench.txt"

echo "== alert latency"
"$build/bin/homeward-load" --mode=alerts --rate=1000 --seconds="$seconds" 2>"$out/alerts.log" | tee "$out/alerts.txt"

echo "== queries"
"$build/bin/homeward-load" --mode=queries --seconds=$((seconds / 4 + 1)) 2>"$out/queries.log" | tee "$out/queries.txt"

echo "== replay"
for n in ${BENCH_REPLAY_SIZES:-10000 100000 1000000}; do
  children=$((n / 10))
  "$build/bin/homeward-load" --mode=replay --events="$n" --children="$children" --partitions=64 \
    2>"$out/replay-$n.log" | tee -a "$out/replay.txt"
done
echo "results in $out"
