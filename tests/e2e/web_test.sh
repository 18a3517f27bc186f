#!/usr/bin/env bash
# The web workspace in Debian's headless chromium against `make run`'s stack (issue 13):
# tests/e2e/web_test.py does the browsing; this starts and stops the stack around it.
#   web_test.sh BUILD_DIR
# Screenshots of every page it checks are kept in BUILD_DIR/web-screenshots/.
set -euo pipefail
build=$(cd "$1" && pwd)
HOMEWARD_PORT=${HOMEWARD_PORT:-50181} PURPOSE="web end-to-end test"
export HOMEWARD_PORT
source "$(dirname "$0")/stack.sh"
web_port=$((HOMEWARD_PORT + 2))

start_stack "$build"
# The alerts the samples call for (early-help waits its settling window) before the queue is read.
for ((i = 0; i < 300; i++)); do
  HOMEWARD_TOKEN_FILE="$tokens/duty.token" "$build/bin/homeward" alerts --brief --open 2>/dev/null |
    grep -q "^repeat-missing:" && break
  sleep 0.2
done
# The workspace's certificate, the one chromium is told to accept from the development CA.
spki=$(openssl x509 -in "$HOMEWARD_RUN_DIR/credentials/server.pem" -pubkey -noout |
  openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
rm -rf "$build/web-screenshots"
/usr/bin/python3 "$root/tests/e2e/web_test.py" "https://127.0.0.1:$web_port" "$spki" \
  "$root/web/node_modules/axe-core/axe.min.js" "$build/web-screenshots" || fail "the browser test failed"
stop_stack
rm -rf "$HOMEWARD_RUN_DIR"
echo "web end-to-end: 1 passed, 0 failed"
