#!/usr/bin/env bash
# make soak: what takes too long for make test.
#  1. Coverage-guided fuzzing: the targets in tests/fuzz/ built with clang 14, libFuzzer,
#     AddressSanitizer and UndefinedBehaviorSanitizer (build-fuzz/), each run for FUZZ_SECONDS
#     (default 120) from the seed corpus, with a 10 s per-input timeout (a hang is a failure).
#  2. The fault-injection tests again and again (SOAK_ROUNDS, default 5): the aggregator killed
#     with SIGKILL under load, brokers down and up, injected produce errors, an importer killed
#     mid-file, until one fails.
#   tests/soak/run.sh [BUILD_DIR]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
fuzz_build="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-120}
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
    -artifact_prefix="$fuzz_build/crashes/$t-" -print_final_stats=1 2>&1 | tail -n 12
done

echo "== fault injection, ${SOAK_ROUNDS:-5} rounds"
cd "$build"
ctest -L kafka -R 'Durability|ImportResume|Ingest|Pipeline' --repeat until-fail:"${SOAK_ROUNDS:-5}" \
  --output-on-failure
echo "soak: passed"
