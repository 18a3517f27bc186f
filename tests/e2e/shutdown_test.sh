#!/usr/bin/env bash
# A service told to stop, stops, even when Kafka went first (a terminal's Ctrl-C reaches every
# process at once; a broker can die before the services): nothing waits for ever on a broker
# that is gone. Each service must exit within its bound after SIGTERM.
#   shutdown_test.sh BUILD_DIR
set -euo pipefail
bin=$1/bin
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
pids=()
cleanup() { for p in ${pids[@]+"${pids[@]}"}; do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$dir"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$dir"/*.log; do echo "--- $f"; tail -n 20 "$f" | cut -c1-300; done; exit 1; }
wait_for_line() {  # wait_for_line FILE TEXT SECONDS
  for ((i = 0; i < $3 * 10; i++)); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  fail "no '$2' in $1 after $3 s"
}
stops_within() {  # stops_within NAME PID SECONDS
  kill -TERM "$2"
  for ((i = 0; i < $3 * 10; i++)); do kill -0 "$2" 2>/dev/null || { echo "$1 stopped $((i / 10)).$((i % 10)) s after SIGTERM"; return 0; }; sleep 0.1; done
  fail "$1 still running $3 s after SIGTERM, Kafka being gone"
}

bash "$root/deploy/dev-credentials.sh" "$dir/credentials" >/dev/null
security=(--tls_dir="$dir/credentials" --access="$root/config/access.json")
"$bin/homeward-kafka" --bootstrap_file="$dir/kafka.bootstrap" 2>"$dir/kafka.log" &
kafka=$!; pids+=($kafka)
wait_for_line "$dir/kafka.log" "mock Kafka on" 15
"$bin/homeward-aggregator" --bootstrap_file="$dir/kafka.bootstrap" --listen=127.0.0.1:0 \
  --state="$dir/aggregator.db" --rules="$root/config/rules.json" "${security[@]}" 2>"$dir/aggregator.log" &
aggregator=$!; pids+=($aggregator)
"$bin/homeward-ingest" --bootstrap_file="$dir/kafka.bootstrap" --listen=127.0.0.1:0 "${security[@]}" \
  2>"$dir/ingest.log" &
ingest=$!; pids+=($ingest)
wait_for_line "$dir/aggregator.log" "serving gRPC" 30
wait_for_line "$dir/ingest.log" "push ingest (mutual TLS) on port" 30
sleep 1  # both have talked to Kafka (the ingest's lag guard reads positions and watermarks)

kill -TERM "$kafka"; wait "$kafka" || true
sleep 2  # the services notice
# The aggregator may wait for delivery of what it still holds (anchors, alerts): bounded.
stops_within ingest "$ingest" 10
stops_within aggregator "$aggregator" 25
echo "shutdown: both services stopped with Kafka gone"
