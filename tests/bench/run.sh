#!/usr/bin/env bash
# make bench: every figure of docs/benchmarks.md with its baseline, from one run on this machine.
# Results go to bench-results/<time>/ (not committed); copy the figures into docs/benchmarks.md.
# The run ends with one table of every figure (Homeward, baseline, ratio or gap, target, met) from
# tests/bench/summarize.py, also written as summary.md and summary.json in that directory. A phase
# that fails is recorded in phases.txt, its figures show as "not run", the other phases still
# run, and the script exits non-zero at the end.
#   tests/bench/run.sh [BUILD_DIR]
# Environment: BENCH_FILTER (Google Benchmark regex, default all), BENCH_SECONDS (load phases,
# default 20), BENCH_REPLAY_SIZES (default "10000 100000 1000000"),
# BENCH_HUGE=1 adds a 10,000,000-event size to the replay sizes (1,000,000 children, and 640
# partitions so each holds as many events as at 1 M over 64: the mock keeps 5 MiB a partition).
# Off by default: the topic alone is about 2.4 GB in the producing process, the rebuilding
# aggregator keeps about 1.9 KB per event (about 18 GB at 10 M; docs/benchmarks.md), and the
# whole run takes about 10 minutes on 2 cores (homeward-load gives the rebuild at most 20).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
seconds=${BENCH_SECONDS:-20}
replay_sizes=${BENCH_REPLAY_SIZES:-10000 100000 1000000}
if [ "${BENCH_HUGE:-0}" = 1 ]; then
  replay_sizes="$replay_sizes 10000000"
fi

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' (with local changes)')"
  echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "options: BENCH_FILTER=${BENCH_FILTER:-.} BENCH_SECONDS=$seconds replay sizes: $replay_sizes"
} | tee "$out/machine.txt"

# Runs one phase; records "<phase> ok|failed <exit code>" in phases.txt for the summary.
failed=0
echo "# phase status exit-code (tests/bench/run.sh; read by tests/bench/summarize.py)" >"$out/phases.txt"
phase() {
  local name=$1
  shift
  if "$@"; then
    echo "$name ok 0" >>"$out/phases.txt"
  else
    local rc=$?
    echo "$name failed $rc" >>"$out/phases.txt"
    echo "== $name failed (exit $rc); the other phases go on" >&2
    failed=1
  fi
}

aggregator_bench() {
  "$build/bin/homeward_bench" --benchmark_filter="${BENCH_FILTER:-.}" \
    --benchmark_out="$out/aggregator_bench.json" --benchmark_out_format=json | tee "$out/aggregator_bench.txt"
}
alerts() {
  "$build/bin/homeward-load" --mode=alerts --rate=1000 --seconds="$seconds" 2>"$out/alerts.log" | tee "$out/alerts.txt"
}
queries() {
  "$build/bin/homeward-load" --mode=queries --seconds=$((seconds / 4 + 1)) 2>"$out/queries.log" | tee "$out/queries.txt"
}
replay() {
  local n=$1 partitions=64
  if [ "$n" -gt 1000000 ]; then
    partitions=$((n / 15625))  # 1 M over 64 partitions: 15,625 events (about 3 MiB) each
  fi
  "$build/bin/homeward-load" --mode=replay --events="$n" --children=$((n / 10)) --partitions="$partitions" \
    2>"$out/replay-$n.log" | tee -a "$out/replay.txt"
}

echo "== aggregator_bench (Google Benchmark)"
phase bench aggregator_bench
echo "== alert latency"
phase alerts alerts
echo "== queries"
phase queries queries
echo "== replay"
for n in $replay_sizes; do
  phase "replay-$n" replay "$n"
done

echo "== summary"
summary=0
python3 "$root/tests/bench/summarize.py" "$out" || summary=$?
echo "results in $out"
if [ "$summary" -ne 0 ]; then
  echo "bench: the summary failed (exit $summary)" >&2
  exit "$summary"
fi
if [ "$failed" -ne 0 ]; then
  echo "bench: a phase failed (see $out/phases.txt)" >&2
  exit 1
fi
