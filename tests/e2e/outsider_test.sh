#!/usr/bin/env bash
# The hub tried from outside, as the people who broke it did (issues 11 and 12): a new user's
# 301k-row police import through the embedded stack (`make run`) must arrive whole, every event
# once; the duty team's alert list after it must come a page at a time within a second; agency
# text with terminal control sequences must reach a coordinator's terminal escaped; the access
# log must verify; Ctrl-C must stop everything.
#   outsider_test.sh BUILD_DIR [ROWS]
set -euo pipefail
build=$(cd "$1" && pwd)
rows=${2:-301000}
HOMEWARD_PORT=${HOMEWARD_PORT:-20191} PURPOSE="outsider test"
export HOMEWARD_PORT
source "$(dirname "$0")/stack.sh"
bin="$build/bin"
counter() {  # counter NAME: the aggregator's counter, as an administrator reads it
  HOMEWARD_TOKEN_FILE="$tokens/administrator.token" "$bin/homeward" status --json |
    python3 -c "import json,sys; print(json.load(sys.stdin)['counters'].get('$1', 0))"
}

start_stack "$build"

# ---- 1. a large import arrives whole (point 1) ----
# Two years up to last week: half of it inside the alert horizon, so the rules raise alerts by
# the hundred thousand, as they did for the duty team whose list broke (issue 12).
python3 "$root/tests/e2e/generate_police_export.py" "$rows" "$HOMEWARD_RUN_DIR/big.csv" recent
before=$(counter added)
start=$(date +%s.%N)
"$bin/homeward-import" --bootstrap_file="$HOMEWARD_RUN_DIR/kafka.bootstrap" \
  --mapping="$root/config/mappings/police-west-midlands.json" --input="$HOMEWARD_RUN_DIR/big.csv" \
  --checkpoint_dir="$HOMEWARD_RUN_DIR/checkpoints" >"$HOMEWARD_RUN_DIR/big.out" 2>>"$HOMEWARD_RUN_DIR/import.log" ||
  fail "the import failed: $(cat "$HOMEWARD_RUN_DIR/big.out")"
grep -q ": $rows records read: $rows published ($((2 * rows)) events), 0 rejected" "$HOMEWARD_RUN_DIR/big.out" ||
  fail "import summary: $(cat "$HOMEWARD_RUN_DIR/big.out")"
expected=$((before + 2 * rows))
for ((i = 0; i < 600; i++)); do
  [ "$(counter added)" -ge "$expected" ] && break
  sleep 0.5
done
end=$(date +%s.%N)
added=$(counter added)
[ "$added" -eq "$expected" ] || fail "the hub added $added events, expected $expected"
[ "$(counter log_gaps)" -eq 0 ] || fail "the log lost records (gaps)"
[ "$(counter duplicates)" -eq 0 ] || fail "some events arrived twice"
[ "$(counter dead_lettered)" -eq 0 ] || fail "events were dead-lettered"
[ "$("$bin/homeward" health)" = SERVING ] || fail "health is not SERVING after the import"
waits=$(grep -c "waiting for the hub to catch up" "$HOMEWARD_RUN_DIR/import.log" || true)
echo "imported $rows rows ($((2 * rows)) events) in $(python3 -c "print(round($end - $start, 1))") s;" \
     "every one added once; the importer waited for the hub $waits time(s)"
# One of the generated children, whole.
"$bin/homeward" chronology police:west-midlands/PP-5000007 | grep -q "10 entries" ||
  fail "a generated child's chronology is not whole"

# ---- 2. agency text cannot rewrite a coordinator's terminal (point 12) ----
hostile="$HOMEWARD_RUN_DIR/hostile_notes.csv"
printf 'record_ref,record_version,la_child_id,upn,forename,surname,date_of_birth,sex,kind,occurred_at,summary,recorded_at\n' >"$hostile"
printf 'EDU-X-1,1,LA-7003,A999000000033,Tyler,Samplewood,2010-11-20,M,ABS,2026-11-05 09:00,"late\x1b[2K\rALL CLEAR: no concerns",2026-11-05 12:00\n' >>"$hostile"
"$bin/homeward-import" --bootstrap_file="$HOMEWARD_RUN_DIR/kafka.bootstrap" \
  --mapping="$root/config/mappings/education-coventry.json" --input="$hostile" \
  --checkpoint_dir="$HOMEWARD_RUN_DIR/checkpoints" >/dev/null 2>>"$HOMEWARD_RUN_DIR/import.log" ||
  fail "the hostile note was not accepted"
for ((i = 0; i < 100; i++)); do
  shown=$("$bin/homeward" chronology la:coventry/LA-7003 2>&1 || true)
  grep -qF 'ALL CLEAR' <<<"$shown" && break
  sleep 0.2
done
grep -qF 'late\x1b[2K\rALL CLEAR' <<<"$shown" || fail "the note is not shown escaped: $shown"
if printf '%s' "$shown" | grep -q $'\x1b'; then fail "a raw escape character reached the terminal"; fi
if printf '%s' "$shown" | grep -q $'\r'; then fail "a raw carriage return reached the terminal"; fi

# ---- 3. the alert list after a large import: pages, sorted, within a second (issue 12) ----
total() {  # total TOKEN [ARGS...]: how many alerts match, as TOKEN's holder sees them
  local token=$1; shift
  HOMEWARD_TOKEN_FILE="$tokens/$token.token" "$bin/homeward" alerts --json --page_size=1 "$@" |
    python3 -c "import json,sys; print(json.load(sys.stdin).get('total', 0))"
}
for ((i = 0; i < 360; i++)); do
  [ "$(total coordinator)" -ge 100000 ] && break
  sleep 0.5
done
[ "$(total coordinator)" -ge 100000 ] || fail "the import raised $(total coordinator) alerts, expected 100,000 or more"
fastest() {  # fastest TOKEN OUTFILE ARGS...: the quickest of three answers, in seconds
  local token=$1 file=$2 best=99; shift 2
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    HOMEWARD_TOKEN_FILE="$tokens/$token.token" "$bin/homeward" alerts "$@" >"$file" || fail "homeward alerts $* failed"
    t1=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $t1 - $t0))")
  done
  echo "$best"
}
open_s=$(fastest coordinator "$HOMEWARD_RUN_DIR/open.txt" --open)
team_s=$(fastest duty "$HOMEWARD_RUN_DIR/team.txt" --open --team=missing-children-duty)
echo "alerts --open: $(head -1 "$HOMEWARD_RUN_DIR/open.txt") in ${open_s}s;" \
     "--team=missing-children-duty: $(head -1 "$HOMEWARD_RUN_DIR/team.txt") in ${team_s}s"
python3 -c "import sys; sys.exit(0 if $open_s < 1.0 and $team_s < 1.0 else 1)" ||
  fail "a page of alerts took over a second (${open_s}s, ${team_s}s)"
grep -q "^alerts 1-50 of " "$HOMEWARD_RUN_DIR/open.txt" || fail "--open was not paged: $(tail -2 "$HOMEWARD_RUN_DIR/open.txt")"
grep -q "strategy meeting" <(sed -n 3p "$HOMEWARD_RUN_DIR/open.txt") || fail "the most urgent alerts do not come first"
# The next page goes on after the last alert of this one: none repeated, whatever was raised
# meanwhile (alerts are still being raised; newer ones sort before, and do not shift the page).
"$bin/homeward" alerts --open --brief >"$HOMEWARD_RUN_DIR/page1.txt"
next=$(grep -o -- "--page=[^ ]*" "$HOMEWARD_RUN_DIR/page1.txt")
"$bin/homeward" alerts --open --brief $next >"$HOMEWARD_RUN_DIR/page2.txt"
grep -q "^alerts [0-9]*-[0-9]* of " "$HOMEWARD_RUN_DIR/page2.txt" || fail "the next page did not follow"
repeated=$(comm -12 <(grep -o "^[a-z-]*:[^ ]*" "$HOMEWARD_RUN_DIR/page1.txt" | sort) \
                    <(grep -o "^[a-z-]*:[^ ]*" "$HOMEWARD_RUN_DIR/page2.txt" | sort) | wc -l)
[ "$(grep -c "^[a-z-]*:[^ ]*  \[" "$HOMEWARD_RUN_DIR/page2.txt")" -eq 50 ] && [ "$repeated" -eq 0 ] ||
  fail "the second page repeated $repeated alert(s) of the first or is not whole"
bytes=$("$bin/homeward" alerts --open --json --page_size=500 | wc -c)
[ "$bytes" -lt $((2 * 1024 * 1024)) ] || fail "a page of 500 alerts is $bytes bytes"

# ---- 4. the access log verifies, anchored ----
HOMEWARD_TOKEN_FILE="$tokens/auditor.token" "$bin/homeward" verify-log | grep -q "access log intact" ||
  fail "the access log does not verify"

stop_stack
rm -rf "$HOMEWARD_RUN_DIR"
echo "outsider end-to-end: 1 passed, 0 failed"
