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

FUZZ_SECONDS=${FUZZ_SECONDS:-120} bash "$root/tests/fuzz/run.sh"

echo "== fault injection, ${SOAK_ROUNDS:-5} rounds"
cd "$build"
ctest -L kafka -R 'Durability|ImportResume|Ingest|Pipeline' --repeat until-fail:"${SOAK_ROUNDS:-5}" \
  --output-on-failure
echo "soak: passed"
