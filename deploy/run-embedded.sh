#!/usr/bin/env bash
# The embedded Homeward stack for development: mock Kafka, the aggregator, and the sample
# agency exports fed through the adapters. Ctrl-C (or SIGTERM) stops everything it started.
#
#   deploy/run-embedded.sh [BUILD_DIR]
# Environment: HOMEWARD_PORT (aggregator gRPC port, default 50151; push ingest uses the next
# one, or HOMEWARD_INGEST_PORT; the web workspace the one after, or HOMEWARD_WEB_PORT; the
# services' metrics and probes, plain HTTP on loopback, the four after that: aggregator,
# ingest, web, Kafka, from HOMEWARD_METRICS_PORT, default HOMEWARD_PORT + 3),
# HOMEWARD_LOG_FORMAT=json (every service logs one JSON object per line; default text),
# HOMEWARD_RUN_DIR (default ./run),
# HOMEWARD_EXIT_AFTER_DEMO=1 (stop after feeding the samples instead of waiting; for tests),
# HOMEWARD_SKIP_SAMPLES=1 (feed nothing: show what the aggregator's durable store holds).
# The embedded Kafka starts empty each time; the aggregator's store ($run_dir/aggregator.db)
# and access log ($run_dir/access-log.db) persist, so a restarted stack still shows everything.
# rm -rf run/ to start afresh.
#
# Locked down like production (docs/security.md): mutual TLS with development certificates
# ($run_dir/credentials, from deploy/dev-credentials.sh), and demo people's tokens in
# $run_dir/credentials/tokens/{coordinator,duty,auditor,administrator,reports}.token.
set -euo pipefail

case "${1:-}" in
  --help | -h) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
bin="$build/bin"
port="${HOMEWARD_PORT:-50151}"
ingest_port="${HOMEWARD_INGEST_PORT:-$((port + 1))}"
web_port="${HOMEWARD_WEB_PORT:-$((port + 2))}"
metrics_port="${HOMEWARD_METRICS_PORT:-$((port + 3))}"
metrics() {  # metrics N: the Nth service's --metrics_listen (0 aggregator, 1 ingest, 2 web, 3 Kafka)
  echo "--metrics_listen=127.0.0.1:$((metrics_port + $1))"
}
run_dir="${HOMEWARD_RUN_DIR:-$root/run}"
bootstrap="$run_dir/kafka.bootstrap"
export HOMEWARD_SERVER="127.0.0.1:$port"
mkdir -p "$run_dir"
rm -f "$bootstrap"
# The embedded Kafka starts empty every time, so resume points from an earlier run mean nothing.
rm -rf "$run_dir/checkpoints"
# The alert follower's saved position belongs to the aggregator's store: a new store, a new feed.
[ -f "$run_dir/aggregator.db" ] || rm -f "$run_dir/alerts-follow.cursor"

creds="$run_dir/credentials"
echo "homeward: development credentials in $creds (a private CA; deploy/dev-credentials.sh)"
bash "$root/deploy/dev-credentials.sh" "$creds"
mkdir -p "$creds/tokens"
issue_token() {  # issue_token NAME homeward-token-flags...
  local name=$1; shift
  "$bin/homeward-token" --key="$creds/token.key" --access="$root/config/access.json" --hours=12 "$@" >"$creds/tokens/$name.token"
}
issue_token coordinator --subject=cw-demo --role=coordinator --agency=lcs.coventry --authority=coventry
issue_token duty --subject=duty-demo --role=duty_team --team=missing-children-duty --authority=coventry
issue_token auditor --subject=dpo-demo --role=auditor --agency=lcs.coventry
issue_token administrator --subject=admin-demo --role=administrator --agency=lcs.coventry
issue_token reports --subject=analyst-demo --role=report_viewer --agency=lcs.coventry
# The CLI in this script (and in a shell that exports the same) is the demo coordinator.
export HOMEWARD_TLS_DIR="$creds" HOMEWARD_TOKEN_FILE="$creds/tokens/coordinator.token" \
  HOMEWARD_PURPOSE="make run: demonstration on synthetic data" HOMEWARD_LAWFUL_BASIS="dpa2018-sch1-para18"
security=(--tls_dir="$creds" --access="$root/config/access.json")

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "homeward: stopping..."
  # Newest first, each gone before the next, so the aggregator never sees Kafka vanish under it.
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  echo "homeward: stopped."
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

wait_for() {  # wait_for DESCRIPTION SECONDS COMMAND...
  local what=$1 secs=$2; shift 2
  for ((i = 0; i < secs * 10; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "homeward: $what did not come up in ${secs}s (logs in $run_dir)" >&2
  return 1
}

echo "homeward: starting embedded Kafka (librdkafka mock cluster)"
# In a session of its own, so the terminal's Ctrl-C (sent to the whole foreground group) does not
# reach it: stop() ends it last, once nothing is left that still writes to it.
setsid "$bin/homeward-kafka" --bootstrap_file="$bootstrap" "$(metrics 3)" 2>"$run_dir/kafka.log" &
pids+=($!)
wait_for "Kafka" 15 test -s "$bootstrap"

echo "homeward: starting the aggregator on $HOMEWARD_SERVER"
"$bin/homeward-aggregator" --bootstrap_file="$bootstrap" --listen="$HOMEWARD_SERVER" \
  --state="$run_dir/aggregator.db" --rules="$root/config/rules.json" "${security[@]}" "$(metrics 0)" \
  2>"$run_dir/aggregator.log" &
pids+=($!)
wait_for "the aggregator" 30 "$bin/homeward" health

echo "homeward: starting push ingest for agency systems on 127.0.0.1:$ingest_port"
"$bin/homeward-ingest" --bootstrap_file="$bootstrap" --listen="127.0.0.1:$ingest_port" "${security[@]}" \
  "$(metrics 1)" 2>"$run_dir/ingest.log" &
pids+=($!)
wait_for "push ingest" 30 "$bin/homeward" health --server="127.0.0.1:$ingest_port"

echo "homeward: starting the web workspace on https://127.0.0.1:$web_port/"
"$bin/homeward-web" --hub="$HOMEWARD_SERVER" --listen="127.0.0.1:$web_port" --tls_dir="$creds" \
  --assets="$root/web" --demo_tokens_dir="$creds/tokens" "$(metrics 2)" 2>"$run_dir/web.log" &
pids+=($!)
wait_for "the web workspace" 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$web_port"

echo "homeward: following the missing-children duty team's alerts, as its own system would"
# From where it stopped last time ($run_dir/alerts-follow.cursor), so a restart shows only what is new.
HOMEWARD_CLIENT=duty.missing-children-duty HOMEWARD_TOKEN_FILE='' \
  "$bin/homeward" alerts --follow --brief --cursor_file="$run_dir/alerts-follow.cursor" \
  2>>"$run_dir/alerts-follow.log" &
pids+=($!)

if [ "${HOMEWARD_SKIP_SAMPLES:-0}" = 1 ]; then
  imports=()
  echo "homeward: not feeding the samples (HOMEWARD_SKIP_SAMPLES=1): serving what the aggregator's store holds"
else
echo "homeward: feeding the sample exports of every agency (data/samples, config/mappings)"
imports=(
  "police-west-midlands   police_missing_persons.csv"
  "police-warwickshire    police_warwickshire.csv"
  "care-home-oakfield     care_home_absences.csv"
  "social-care-coventry   social_care.json"
  "rhi-coventry           rhi_interviews.csv"
  "education-coventry     education_notes.csv"
  "health-coventry        health_attendances.csv"
  "ssda903-coventry       ssda903_missing.csv"
  "police-west-midlands   bad/police_with_errors.csv"
)
fi
for line in ${imports[@]+"${imports[@]}"}; do
  read -r mapping file <<<"$line"
  status=0
  rejects="$run_dir/rejects-$(basename "${file%.*}").csv"
  "$bin/homeward-import" --bootstrap_file="$bootstrap" --mapping="$root/config/mappings/$mapping.json" \
    --input="$root/data/samples/$file" --checkpoint_dir="$run_dir/checkpoints" \
    --rejects="$rejects" 2>>"$run_dir/import.log" || status=$?
  case $status in
    0) ;;
    3) echo "  (rejected records are listed above and in $rejects)" ;;
    *) echo "homeward: import of $file failed (exit $status; see $run_dir/import.log)" >&2; exit 1 ;;
  esac
done

sample_child="police:west-midlands/PP-100231"
wait_for "the sample chronology" 15 "$bin/homeward" chronology "$sample_child"
echo
"$bin/homeward" chronology "$sample_child"
cat <<MSG

homeward: the stack is up.
  Kafka bootstrap   $(cat "$bootstrap")   (also in $bootstrap)
  aggregator gRPC   $HOMEWARD_SERVER      (health: $("$bin/homeward" health))
  push ingest gRPC  127.0.0.1:$ingest_port      (homeward.v1.IngestService)
  web workspace     https://127.0.0.1:$web_port/   (sign in as a demo person: coordinator, duty, ...)
                    the certificate is the development CA's ($creds/ca.pem): trust it in your
                    browser, or for this demo: chromium --ignore-certificate-errors https://127.0.0.1:$web_port/
  metrics, probes   http://127.0.0.1:$metrics_port/metrics (aggregator; ingest $((metrics_port + 1)), web $((metrics_port + 2)),
                    Kafka $((metrics_port + 3))); /healthz and /readyz on each (docs/operations.md)
  logs              $run_dir/*.log

In another terminal (the demo coordinator of Coventry; every read is on the access log):
  export PATH="$bin:\$PATH" HOMEWARD_SERVER=$HOMEWARD_SERVER HOMEWARD_TLS_DIR=$creds
  export HOMEWARD_TOKEN_FILE=$creds/tokens/coordinator.token
  export HOMEWARD_PURPOSE="reviewing a missing child" HOMEWARD_LAWFUL_BASIS=dpa2018-sch1-para18
  homeward chronology police:west-midlands/PP-100388
  homeward chronology la:coventry/LA-7003               # police, care home, social care, RHI, school, 903
  homeward chronology nhs:9990004048 --json
  homeward alerts --open                                # what the rules raised (config/rules.json)
  HOMEWARD_TOKEN_FILE=$creds/tokens/duty.token homeward ack <alert id>
  HOMEWARD_TOKEN_FILE=$creds/tokens/auditor.token homeward access --child=la:coventry/LA-7003
  HOMEWARD_TOKEN_FILE=$creds/tokens/auditor.token homeward verify-log
  homeward report rhi-compliance --from=2026-01-01 --to=2026-12-31   # partnership reports (homeward report)
  homeward report ssda903-missing --from=2026-04-01 --to=2027-03-31 > missing.csv

Ctrl-C stops everything.
MSG
if [ "${HOMEWARD_EXIT_AFTER_DEMO:-0}" = 1 ]; then exit 0; fi
wait "${pids[@]}"
