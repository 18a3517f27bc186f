#!/usr/bin/env bash
# Services log to standard error, so the run directory's log files (run-embedded.sh sends each
# service's standard error to run/<service>.log) hold start-up refusals and rejections, and
# standard output stays clean (issue 11, point 6).
set -euo pipefail
bin=$1/bin
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; for f in "$dir"/*; do echo "--- $f"; cat "$f"; done; exit 1; }

check_refusal() {  # check_refusal NAME EXPECTED-TEXT COMMAND...
  local name=$1 expected=$2; shift 2
  set +e
  "$@" >"$dir/$name.out" 2>"$dir/$name.err"
  local status=$?
  set -e
  [ $status -ne 0 ] || fail "$name started although its configuration is bad"
  [ ! -s "$dir/$name.out" ] || fail "$name wrote to standard output"
  grep -q "$expected" "$dir/$name.err" || fail "$name's refusal is not on standard error"
}
echo '{"default_authority": 5, "rules": []}' >"$dir/bad-rules.json"
check_refusal aggregator "refusing to start: .*default_authority" \
  "$bin/homeward-aggregator" --bootstrap_servers=127.0.0.1:1 --rules="$dir/bad-rules.json"
check_refusal aggregator-kafka "refusing to start: .*bootstrap" "$bin/homeward-aggregator" --bootstrap_file="$dir/none"
check_refusal ingest "refusing to start" "$bin/homeward-ingest" --bootstrap_servers=127.0.0.1:1 --access="$dir/none.json"
# --help lists each program's own flags and the shared Kafka ones (abseil's default listed none),
# and asking for help is not a failure: exit status 0 (abseil's default is 1).
for program in homeward-import:max_unread_bytes homeward-ingest:max_unread_bytes \
               homeward-aggregator:rules homeward-kafka:brokers homeward-token:hours; do
  help=$("$bin/${program%%:*}" --help 2>&1) || fail "${program%%:*} --help exited $?"
  grep -q -- "--${program#*:} " <<<"$help" || fail "${program%%:*} --help does not list --${program#*:}: $help"
  [ "${program%%:*}" = homeward-token ] || grep -q -- "--bootstrap_file " <<<"$help" ||
    fail "${program%%:*} --help does not list --bootstrap_file"
done
# Every long-running service takes the operations listener and the log format (issue 17).
for program in homeward-aggregator homeward-ingest homeward-web homeward-kafka; do
  help=$("$bin/$program" --help 2>&1) || fail "$program --help exited $?"
  for flag in metrics_listen log_format log_level; do
    grep -q -- "--$flag " <<<"$help" || fail "$program --help does not list --$flag"
  done
done
check_refusal log-format "log format 'xml' is neither text nor json" "$bin/homeward-ingest" --log_format=xml
"$bin/homeward-import" -h >"$dir/import-h.out" 2>&1 || fail "homeward-import -h exited $?"
"$bin/homeward-import" --helpfull >"$dir/import-helpfull.out" 2>&1 || fail "homeward-import --helpfull exited $?"
# Every flag homeward-import defines is in its --help with what it does.
src=$(dirname "$0")/../../services/adapters/import/main.cc
help=$("$bin/homeward-import" --help)
grep -q "Exit status: 0" <<<"$help" || fail "homeward-import --help does not give the exit statuses"
flags=$(grep -oE '^ABSL_FLAG\([^,]+, [a-z_]+' "$src" | sed -E 's/.*, //')
[ -n "$flags" ] || fail "no flags found in $src"
for flag in $flags; do
  grep -qE -- "--$flag \([A-Z][^)]{15,}" <<<"$help" || fail "homeward-import --help does not explain --$flag: $help"
done
# A token the hub would refuse is refused when issued, saying why.
bash "$(dirname "$0")/../../deploy/dev-credentials.sh" "$dir/credentials" >/dev/null
check_refusal token "at most 12" "$bin/homeward-token" --key="$dir/credentials/token.key" \
  --subject=cw-1 --role=coordinator --authority=coventry --hours=1000
"$bin/homeward-token" --key="$dir/credentials/token.key" --subject=cw-1 --role=coordinator \
  --authority=coventry --hours=12 >"$dir/token.out" || fail "a 12-hour token was refused"
echo "service logs: refusals on standard error, nothing on standard output"
