#!/usr/bin/env bash
# Coverage-guided fuzzing, bounded: the targets in tests/fuzz/ built with clang 14, libFuzzer,
# AddressSanitizer and UndefinedBehaviorSanitizer (build-fuzz/), each run for FUZZ_SECONDS
# (default 30) from the seed corpus, with a 10 s per-input timeout (a hang is a failure). A
# crash, leak, sanitizer report or hang fails the run and leaves its input in
# build-fuzz/crashes/ (copy it into tests/fuzz/corpus/<target>/ once fixed).
#   tests/fuzz/run.sh          (make fuzz; CI runs it after make test; make soak with 120 s)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz_build="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-30}
targets=(fuzz_event fuzz_csv_exports fuzz_social_care_json fuzz_text_inputs)

echo "== libFuzzer (clang 14, ASan + UBSan), ${seconds}s per target"
CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$fuzz_build" -G Ninja -DHOMEWARD_FUZZ=ON \
  -DHOMEWARD_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$fuzz_build" -j "$(nproc)" --target "${targets[@]}"
mkdir -p "$fuzz_build/crashes"
for t in "${targets[@]}"; do
  corpus="$fuzz_build/corpus/$t"
  mkdir -p "$corpus"
  cp -n "$root/tests/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null || true
  echo "-- $t"
  "$fuzz_build/bin/$t" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$fuzz_build/crashes/$t-" -print_final_stats=1 >"$fuzz_build/$t.log" 2>&1 ||
    { tail -n 40 "$fuzz_build/$t.log"; echo "fuzz: $t FAILED (input in $fuzz_build/crashes/)"; exit 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$fuzz_build/$t.log" | tr '\n' ' '; echo
done
echo "fuzz: passed"
