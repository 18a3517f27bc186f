#!/usr/bin/env bash
# Issue 17, end to end: the embedded stack (what `make run` starts) as an operator watches it.
# An outside client (curl) scrapes every service's /metrics, which parses as the Prometheus
# text format (the Python prometheus_client parser) and moves with an import and with calls;
# the probes answer without a client certificate; every service logs one JSON object per line
# when asked, and no log or metric carries a child's identifiers or names; a restarted
# aggregator says it is replaying its store, and is not ready while it starts.
#   metrics_test.sh BUILD_DIR      (ports 20201-20207)
set -euo pipefail
build=$1
bin=$build/bin
HOMEWARD_PORT=${HOMEWARD_PORT:-20201} PURPOSE="metrics test"
export HOMEWARD_PORT HOMEWARD_LOG_FORMAT=json
source "$(dirname "$0")/stack.sh"
restarted=""
trap '[ -z "$restarted" ] || kill -KILL "$restarted" 2>/dev/null || true' EXIT  # never left behind
aggregator=http://127.0.0.1:$((HOMEWARD_PORT + 3))
ingest=http://127.0.0.1:$((HOMEWARD_PORT + 4))
web=http://127.0.0.1:$((HOMEWARD_PORT + 5))
kafka=http://127.0.0.1:$((HOMEWARD_PORT + 6))
samples=$root/data/samples

scrape() { curl -fsS --max-time 5 "$1/metrics"; }
# value URL SERIES: the sample's value ("0" when the series is absent).
value() { scrape "$1" | awk -v s="$2" '$1 == s { v = $2 } END { print v == "" ? 0 : v }'; }
eventually_value() {  # eventually_value URL SERIES VALUE
  for ((i = 0; i < 100; i++)); do [ "$(value "$1" "$2")" = "$3" ] && return 0; sleep 0.1; done
  fail "$2 at $1 is $(value "$1" "$2"), not $3"
}
parses() {  # parses URL: an independent parser reads every family
  scrape "$1" | /usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
families = list(text_string_to_metric_families(sys.stdin.read()))
assert families, "no metrics"
print(len(families))' || fail "$1/metrics does not parse as the Prometheus text format"
}

# sum URL PREFIX: the sum of the samples whose series starts with PREFIX.
sum_of() { scrape "$1" | awk -v p="$2" 'index($1, p) == 1 { s += $2 } END { print s + 0 }'; }

start_stack "$build"  # the sample exports are fed

# Probes, with no client certificate.
for url in "$aggregator" "$ingest" "$web" "$kafka"; do
  [ "$(curl -fsS --max-time 5 "$url/healthz")" = ok ] || fail "$url/healthz"
  for ((i = 0; i < 50; i++)); do [ "$(curl -sS --max-time 5 "$url/readyz")" = ready ] && break; sleep 0.1; done
  [ "$(curl -sS --max-time 5 "$url/readyz")" = ready ] || fail "$url/readyz: $(curl -sS "$url/readyz")"
  parses "$url" >/dev/null
  grep -q '^homeward_build_info{program="homeward-' <(scrape "$url") || fail "$url: no build info"
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$aggregator/other")" = 404 ] || fail "an unknown path is not 404"
# What the samples left (make run's imports), once every event is in: consumed stops moving.
consumed=-1
for ((i = 0; i < 100; i++)); do
  now=$(value "$aggregator" homeward_events_consumed_total)
  [ "$now" = "$consumed" ] && [ "$now" != 0 ] && break
  consumed=$now; sleep 0.3
done
[ "$consumed" -gt 0 ] || fail "make run's sample imports were not counted"
added=$(value "$aggregator" 'homeward_events_applied_total{outcome="added"}')
raised=$(sum_of "$aggregator" homeward_alerts_raised_total)
echo "metrics: after make run's samples: $consumed events consumed, $added added, $raised alerts raised"

# An import moves the aggregator's counters: 300 rows of recent episodes, 600 events, alerts.
/usr/bin/python3 "$root/tests/e2e/generate_police_export.py" 300 "$HOMEWARD_RUN_DIR/recent.csv" recent
"$bin/homeward-import" --bootstrap_file="$HOMEWARD_RUN_DIR/kafka.bootstrap" \
  --mapping="$root/config/mappings/police-west-midlands.json" --input="$HOMEWARD_RUN_DIR/recent.csv" \
  --checkpoint_dir="$HOMEWARD_RUN_DIR/checkpoints" >"$HOMEWARD_RUN_DIR/import.out" 2>>"$HOMEWARD_RUN_DIR/import.log" ||
  fail "the import failed: $(cat "$HOMEWARD_RUN_DIR/import.out")"
eventually_value "$aggregator" homeward_events_consumed_total $((consumed + 600))
eventually_value "$aggregator" 'homeward_events_applied_total{outcome="added"}' $((added + 600))
echo "metrics: events consumed $consumed -> $((consumed + 600)), added $added -> $((added + 600))"
[ "$(value "$aggregator" homeward_batch_commit_seconds_count)" != 0 ] || fail "no batch commit timed"
for ((i = 0; i < 100; i++)); do  # every partition read to its end (as last fetched: refreshed each second)
  [ "$(sum_of "$aggregator" 'homeward_consumer_lag_messages{topic="homeward.events.v1"')" = 0 ] && break; sleep 0.1
done
[ "$(grep -c '^homeward_consumer_lag_messages{topic="homeward.events.v1",partition="[0-5]"} 0$' <(scrape "$aggregator"))" = 6 ] ||
  fail "no lag of 0 for each of the six partitions: $(grep consumer_lag <(scrape "$aggregator"))"
for ((i = 0; i < 200; i++)); do [ "$(sum_of "$aggregator" homeward_alerts_raised_total)" -gt "$raised" ] && break; sleep 0.1; done
[ "$(sum_of "$aggregator" homeward_alerts_raised_total)" -gt "$raised" ] || fail "no alert of the import counted as raised"
grep -q '^homeward_alert_oldest_unacknowledged_seconds [0-9]' <(scrape "$aggregator") || fail "no unacknowledged age"

# Calls: counted by method and code; the access log's decisions by action and outcome.
"$bin/homeward" chronology police:west-midlands/PP-100231 >/dev/null || fail "chronology"
HOMEWARD_TOKEN_FILE="$tokens/duty.token" "$bin/homeward" chronology police:west-midlands/PP-100231 >/dev/null 2>&1 &&
  fail "a duty team read a chronology"
text=$(scrape "$aggregator")
grep -q '^homeward_rpc_requests_total{method="/homeward.v1.ChronologyService/GetChronology",code="OK"} [1-9]' <<<"$text" ||
  fail "GetChronology not counted: $(grep rpc_requests <<<"$text")"
grep -q '^homeward_rpc_duration_seconds_count{method="/homeward.v1.ChronologyService/GetChronology"} [1-9]' <<<"$text" ||
  fail "GetChronology not timed"
grep -q '^homeward_access_decisions_total{action="read-child",outcome="OK"} [1-9]' <<<"$text" || fail "access allowed not counted"
grep -q '^homeward_access_decisions_total{action="read-child",outcome="PERMISSION_DENIED"} [1-9]' <<<"$text" ||
  fail "access refused not counted: $(grep access_decisions <<<"$text")"
"$bin/homeward" health --server="127.0.0.1:$((HOMEWARD_PORT + 1))" >/dev/null || fail "ingest health"
grep -q '^homeward_rpc_requests_total{method="/grpc.health.v1.Health/Check",code="OK"} [1-9]' <(scrape "$ingest") ||
  fail "ingest's calls not counted"

# The web workspace: requests by route and status, never by query; sessions.
curl -fsSk --max-time 5 -o /dev/null "https://127.0.0.1:$((HOMEWARD_PORT + 2))/signin" || fail "web /signin"
curl -sSk --max-time 5 -o /dev/null "https://127.0.0.1:$((HOMEWARD_PORT + 2))/child/timeline?id=nhs:9990001014"
text=$(scrape "$web")
grep -q '^homeward_web_requests_total{route="/signin",code="200"} 1$' <<<"$text" || fail "web requests: $text"
grep -q '^homeward_web_requests_total{route="/child/timeline",code="303"} 1$' <<<"$text" || fail "web redirect: $text"
grep -q '^homeward_web_sessions 0$' <<<"$text" || fail "web sessions"

# What scraping costs: the aggregator's exposition, 50 scrapes from outside.
body=$(scrape "$aggregator")
start=$(date +%s%N)
for ((i = 0; i < 50; i++)); do scrape "$aggregator" >/dev/null; done
echo "metrics: aggregator exposition $(wc -l <<<"$body") lines, $(wc -c <<<"$body") bytes," \
  "$(( ($(date +%s%N) - start) / 50000 )) us a scrape (curl included)"

stop_stack

# Logs: one JSON object per line with time, level, component and message; and nothing of the
# children the samples name, in any log or metric (names, birth dates, identifiers).
for log in aggregator ingest web kafka import; do
  /usr/bin/python3 - "$HOMEWARD_RUN_DIR/$log.log" <<'PY' || fail "$log.log is not one JSON object per line"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert lines, "empty"
for line in lines:
    entry = json.loads(line)
    assert set(entry) >= {"time", "level", "component", "msg"}, line
    assert entry["time"].endswith("Z") and entry["level"] in ("debug", "info", "warn", "error", "critical"), line
PY
done
personal=$(for f in "$samples/police_missing_persons.csv" "$samples/bad/police_with_errors.csv" \
                    "$samples/police_warwickshire.csv" "$HOMEWARD_RUN_DIR/recent.csv"; do
              sed -n '2,60p' "$f" | cut -d, -f3-6,8
            done | tr ',' '\n' | grep -v '^$' | sort -u)
for word in $personal; do
  if grep -qF -- "$word" "$HOMEWARD_RUN_DIR"/{aggregator,ingest,web,kafka,import}.log; then
    fail "'$word' (a child's identifier, name or birth date) is in a log: $(grep -lF -- "$word" "$HOMEWARD_RUN_DIR"/*.log)"
  fi
  grep -qF -- "$word" <<<"$body" && fail "'$word' is in the metrics"
done

# A restart: the aggregator says it replays its store (and how fast), and its probe says it is
# starting until it reaches Kafka, here never (nothing listens on port 1).
port=$((HOMEWARD_PORT + 3))
"$bin/homeward-aggregator" --bootstrap_servers=127.0.0.1:1 --listen="127.0.0.1:$HOMEWARD_PORT" \
  --state="$HOMEWARD_RUN_DIR/aggregator.db" --rules="$root/config/rules.json" --tls_dir="$HOMEWARD_RUN_DIR/credentials" \
  --access="$root/config/access.json" --metrics_listen="127.0.0.1:$port" --log_format=text \
  2>"$HOMEWARD_RUN_DIR/restart.log" &
restarted=$!
for ((i = 0; i < 100; i++)); do grep -q "replayed" "$HOMEWARD_RUN_DIR/restart.log" && break; sleep 0.1; done
grep -q "replaying the store: [0-9]* stored event(s)" "$HOMEWARD_RUN_DIR/restart.log" || fail "no replay start line"
grep -qE "replayed [0-9]+ event\(s\) from the store in [0-9.]+ s \([0-9]+ events/s\)" "$HOMEWARD_RUN_DIR/restart.log" ||
  fail "no replay end line: $(cat "$HOMEWARD_RUN_DIR/restart.log")"
got=$(curl -sS --max-time 5 -w ' %{http_code}' "http://127.0.0.1:$port/readyz")
[[ $got == "not ready: starting"*" 503" ]] || fail "a starting aggregator's /readyz: $got"
[ "$(curl -fsS --max-time 5 "http://127.0.0.1:$port/healthz")" = ok ] || fail "a starting aggregator is not alive"
[ "$(value "http://127.0.0.1:$port" homeward_replay_events_done)" -ge 600 ] || fail "replay progress not counted"
kill -KILL "$restarted"; wait "$restarted" 2>/dev/null || true
restarted=""
rm -rf "$HOMEWARD_RUN_DIR"
echo "metrics end-to-end: 1 passed, 0 failed"
