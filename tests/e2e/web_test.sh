#!/usr/bin/env bash
# The web workspace in Debian's headless chromium against `make run`'s stack (issue 13):
# tests/e2e/web_test.py does the browsing; this starts and stops the stack around it.
#   web_test.sh BUILD_DIR
# Screenshots of every page it checks are kept in BUILD_DIR/web-screenshots/.
set -euo pipefail
build=$(cd "$1" && pwd)
HOMEWARD_PORT=${HOMEWARD_PORT:-20181} PURPOSE="web end-to-end test"
export HOMEWARD_PORT
source "$(dirname "$0")/stack.sh"
web_port=$((HOMEWARD_PORT + 2))

start_stack "$build"
# The alerts the samples call for before the queue is read: the time rules wait out their
# settling window (rules.json settle_seconds, 60 s) after the last import, and the 903 export's
# long-missing alerts are the last to come.
for ((i = 0; i < 600; i++)); do
  open=$(HOMEWARD_TOKEN_FILE="$tokens/duty.token" "$build/bin/homeward" alerts --brief --open 2>/dev/null || true)
  grep -q "^repeat-missing:" <<<"$open" && grep -q "^long-missing:ssda903.coventry/LA-7005/" <<<"$open" &&
    grep -q "^long-missing:ssda903.coventry/LA-7004/" <<<"$open" && break
  sleep 0.2
done
# A second workspace on the same port is refused, never started beside the first (the two would
# share the port and split people's sessions between them).
rc=0
timeout 10 "$build/bin/homeward-web" --hub="127.0.0.1:$HOMEWARD_PORT" --listen="127.0.0.1:$web_port" \
  --tls_dir="$HOMEWARD_RUN_DIR/credentials" --assets="$root/web" 2>"$HOMEWARD_RUN_DIR/web-second.log" || rc=$?
if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then fail "a second web workspace started on port $web_port (exit $rc)"; fi
grep -q "cannot listen on 127.0.0.1:$web_port" "$HOMEWARD_RUN_DIR/web-second.log" ||
  fail "a second web workspace did not say why it stopped: $(cat "$HOMEWARD_RUN_DIR/web-second.log")"
# The workspace's certificate, the one chromium is told to accept from the development CA.
spki=$(openssl x509 -in "$HOMEWARD_RUN_DIR/credentials/server.pem" -pubkey -noout |
  openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
rm -rf "$build/web-screenshots"
/usr/bin/python3 "$root/tests/e2e/web_test.py" "https://127.0.0.1:$web_port" "$spki" \
  "$root/web/node_modules/axe-core/axe.min.js" "$build/web-screenshots" || fail "the browser test failed"
stop_stack
rm -rf "$HOMEWARD_RUN_DIR"
echo "web end-to-end: 1 passed, 0 failed"
