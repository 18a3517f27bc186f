# Sourced by the end-to-end tests: the embedded stack (deploy/run-embedded.sh, what `make run`
# calls) in a scratch run directory, started and stopped as a person does at a terminal.
#   HOMEWARD_PORT=20171 PURPOSE="end-to-end test" source tests/e2e/stack.sh; start_stack BUILD_DIR
# Sets root, bin, tokens, out and stack; exports the CLI's credentials (the demo coordinator).
set -m  # job control: the stack gets its own process group, as in a terminal

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# A test's fixed ports (HOMEWARD_PORT .. +6) lie below the kernel's ephemeral range, where no
# other test's port-0 listener (the mock cluster's brokers) or outgoing connection can take one
# while ctest runs tests side by side. One did once, inside it: the web workspace of
# outsider_e2e found its metrics port held and refused to start (CI, 2026-12-07).
read -r ephemeral_low ephemeral_high < /proc/sys/net/ipv4/ip_local_port_range
if [ $((HOMEWARD_PORT + 6)) -ge "$ephemeral_low" ] && [ "$HOMEWARD_PORT" -le "$ephemeral_high" ]; then
  echo "FAIL: HOMEWARD_PORT=$HOMEWARD_PORT puts the test's ports inside the ephemeral range" \
       "$ephemeral_low-$ephemeral_high (/proc/sys/net/ipv4/ip_local_port_range); pick one below it" >&2
  exit 1
fi
export HOMEWARD_RUN_DIR=$(mktemp -d)
export HOMEWARD_SERVER=127.0.0.1:$HOMEWARD_PORT
tokens="$HOMEWARD_RUN_DIR/credentials/tokens"
export HOMEWARD_TLS_DIR="$HOMEWARD_RUN_DIR/credentials" HOMEWARD_TOKEN_FILE="$tokens/coordinator.token"
export HOMEWARD_PURPOSE="${PURPOSE:-end-to-end test}" HOMEWARD_LAWFUL_BASIS=dpa2018-sch1-para18
out="$HOMEWARD_RUN_DIR/make-run.out"
stack=""

# Never leaves a stack behind: Ctrl-C, then whatever is still running.
kill_stack() {
  [ -n "$stack" ] || return 0
  kill -INT -- -"$stack" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$stack" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- -"$stack" 2>/dev/null || true
  pkill -KILL -f -- "--bootstrap_file=$HOMEWARD_RUN_DIR" 2>/dev/null || true
  stack=""
}

fail() {
  echo "FAIL: $*"; echo "--- make run output:"; tail -n 40 "$out"; tail -n 20 "$HOMEWARD_RUN_DIR"/*.log | cut -c1-300
  kill_stack
  exit 1
}

# A command that fails under `set -e` ends the test too: say where, and stop the stack.
trap 'rc=$?; if [ "$rc" != 0 ] && [ -n "$stack" ]; then echo "FAIL: exit $rc at line $LINENO"; kill_stack; fi' EXIT

start_stack() {  # start_stack BUILD_DIR [environment for run-embedded.sh...]
  local build=$1; shift
  env "$@" bash "$root/deploy/run-embedded.sh" "$build" >"$out" 2>&1 &
  stack=$!
  for ((i = 0; i < 900; i++)); do
    grep -q "the stack is up" "$out" && return 0
    kill -0 "$stack" 2>/dev/null || fail "make run exited early"
    sleep 0.1
  done
  fail "stack did not come up in 90s"
}

stop_stack() {  # Ctrl-C, then nothing may be left behind
  kill -INT -- -"$stack"
  for ((i = 0; i < 300; i++)); do kill -0 "$stack" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$stack" 2>/dev/null && fail "make run still running 30s after Ctrl-C"
  local left
  left=$(pgrep -f -- "--bootstrap_file=$HOMEWARD_RUN_DIR" || true)
  [ -z "$left" ] || fail "processes left behind: $left"
  grep -q "homeward: stopped." "$out" || fail "no clean stop message"
  stack=""
}
