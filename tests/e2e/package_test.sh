#!/usr/bin/env bash
# Issue 17: the .deb builds (CPack), and installs into a scratch root (dpkg -x; no chroot): the
# programs, man pages, completion, configuration examples, web assets, the systemd units and
# their environment file are where docs/operations.md says; the units verify and their hardening
# rates "OK"; the aggregator starts from its unit's ExecStart line, expanded with the
# environment file as systemd would (paths moved into the scratch root), against the package's
# own mock Kafka with development credentials, answers /readyz, and stops on SIGTERM.
#   package_test.sh BUILD_DIR      (ports 20211-20212)
set -euo pipefail
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
port=${HOMEWARD_PORT:-20211}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in ${pids[@]+"${pids[@]}"}; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f" | cut -c1-300; }; done; exit 1; }

# Build the package.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1) ||
  fail "cpack failed: $(tail -n 20 "$work/cpack.log")"
deb=$(ls "$work"/package/homeward_*.deb 2>/dev/null | head -n 1)
[ -f "$deb" ] || fail "no .deb in $work/package: $(ls "$work/package")"
echo "package: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
info=$(dpkg-deb --info "$deb")
grep -q "^ Package: homeward$" <<<"$info" || fail "not the homeward package: $info"
grep -qE "^ Depends: .*libgrpc\+\+1\.51" <<<"$info" || fail "dpkg-shlibdeps found no gRPC dependency: $info"
grep -qE "^ Depends: .*adduser" <<<"$info" || fail "no dependency on adduser: $info"
control=$(dpkg-deb --ctrl-tarfile "$deb" | tar -t)
for script in postinst prerm postrm conffiles; do
  grep -q "^./$script$" <<<"$control" || fail "no $script in the package: $control"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles)" = "/etc/default/homeward" ] || fail "conffiles"

# Install into a scratch root.
scratch=$work/root
dpkg-deb -x "$deb" "$scratch"
for f in usr/bin/homeward-aggregator usr/bin/homeward-ingest usr/bin/homeward-web usr/bin/homeward-kafka \
         usr/bin/homeward usr/bin/homeward-import usr/bin/homeward-token \
         usr/share/man/man1/homeward-aggregator.1.gz usr/share/man/man1/homeward.1.gz \
         usr/share/bash-completion/completions/homeward \
         usr/lib/systemd/system/homeward-aggregator.service usr/lib/systemd/system/homeward-ingest.service \
         usr/lib/systemd/system/homeward-web.service etc/default/homeward \
         usr/share/homeward/config/access.json usr/share/homeward/config/rules.json \
         usr/share/homeward/config/mappings/police-west-midlands.json usr/share/homeward/dev-credentials.sh \
         usr/share/homeward/web/static/workspace.css \
         usr/share/homeward/web/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css \
         usr/share/doc/homeward/operations.md usr/share/doc/homeward/kafka/create-topics.sh; do
  [ -e "$scratch/$f" ] || fail "the package has no /$f"
done
grep -q "^homeward [0-9]" <<<"$("$scratch/usr/bin/homeward" --version)" || fail "the installed homeward does not run"
man_text=$(zcat "$scratch/usr/share/man/man1/homeward-aggregator.1.gz")
grep -q -- "metrics_listen" <<<"$man_text" || fail "the aggregator's man page lacks --metrics_listen"
grep -q "/work/\|/home/" <<<"$man_text" && fail "a build path leaked into the man page"
grep -q "^\.SS chronology" <<<"$(zcat "$scratch/usr/share/man/man1/homeward.1.gz")" || fail "homeward's man page lists no commands"

# Completion: the commands, then a command's options, from the installed homeward.
complete_words() {  # complete_words WORD...: what completing the last word offers
  PATH="$scratch/usr/bin:$PATH" bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _homeward 2>/dev/null; echo "${COMPREPLY[*]}"' \
    _ "$scratch/usr/share/bash-completion/completions/homeward" "$@"
}
[ "$(complete_words homeward chro)" = chronology ] || fail "completion of a command: $(complete_words homeward chro)"
grep -q -- "--page_size=" <<<"$(complete_words homeward alerts --pa)" || fail "completion of an option: $(complete_words homeward alerts --pa)"

# The units: valid, hardened, as installed.
for unit in homeward-aggregator homeward-ingest homeward-web; do
  file=$scratch/usr/lib/systemd/system/$unit.service
  grep -q "^ExecStart=/usr/bin/$unit " "$file" || fail "$unit: ExecStart names no /usr/bin/$unit"
  grep -q "^EnvironmentFile=/etc/default/homeward$" "$file" || fail "$unit: no environment file"
  for setting in User=homeward NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes; do
    grep -qx "$setting" "$file" || fail "$unit: no $setting"
  done
  # verify checks the unit's syntax and that its programs exist: here, in the scratch root.
  sed "s#/usr/bin/#$scratch/usr/bin/#; s#/etc/default/homeward#$scratch/etc/default/homeward#" "$file" >"$work/$unit.service"
  MANPATH="$scratch/usr/share/man" systemd-analyze verify "$work/$unit.service" 2>"$work/verify.log" || fail "$unit: $(cat "$work/verify.log")"
  grep -v "is not executable\|Failed to open" "$work/verify.log" | grep -q . && fail "$unit: $(cat "$work/verify.log")"
  exposure=$(systemd-analyze security --offline=yes "$work/$unit.service" 2>&1 | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) \([A-Z]*\).*/\1 \2/p')
  echo "$unit: systemd-analyze security: $exposure"
  [[ $exposure == *" OK" ]] || fail "$unit's hardening is rated '$exposure', not OK"
done
grep -qx "ReadWritePaths=/var/lib/homeward" "$scratch/usr/lib/systemd/system/homeward-aggregator.service" ||
  fail "the aggregator may not write its state directory"

# Configure the scratch root as an operator would: development credentials, the example
# configuration, and the Kafka address (the package's own mock Kafka).
bash "$scratch/usr/share/homeward/dev-credentials.sh" "$scratch/etc/homeward/tls" >/dev/null
cp "$scratch/usr/share/homeward/config/access.json" "$scratch/usr/share/homeward/config/rules.json" "$scratch/etc/homeward/"
mkdir -p "$scratch/var/lib/homeward"
"$scratch/usr/bin/homeward-kafka" --bootstrap_file="$work/kafka.bootstrap" 2>"$work/kafka.log" &
pids+=($!)
for ((i = 0; i < 150; i++)); do [ -s "$work/kafka.bootstrap" ] && break; sleep 0.1; done
[ -s "$work/kafka.bootstrap" ] || fail "the packaged homeward-kafka did not start"
env_file=$scratch/etc/default/homeward
sed -i -e "s#^HOMEWARD_KAFKA=.*#HOMEWARD_KAFKA=\"--bootstrap_servers=$(cat "$work/kafka.bootstrap")\"#" \
  -e "s#--listen=0.0.0.0:50151#--listen=127.0.0.1:$port#" -e "s#--metrics_listen=127.0.0.1:9151#--metrics_listen=127.0.0.1:$((port + 1))#" \
  "$env_file"

# ExecStart, as systemd expands it: $NAME is the variable's value split into words at spaces.
execstart=$(sed -n 's/^ExecStart=//p' "$scratch/usr/lib/systemd/system/homeward-aggregator.service")
command=()
read -ra words <<<"$execstart"
for word in "${words[@]}"; do
  if [[ $word =~ ^\$([A-Z_]+)$ ]]; then
    value=$(env -i bash -c "set -a; source '$env_file'; printf '%s' \"\${${BASH_REMATCH[1]}}\"")
    read -ra split <<<"$value"
    command+=("${split[@]}")
  else
    command+=("$word")
  fi
done
# The scratch root stands for /: its paths, not the host's.
for ((i = 0; i < ${#command[@]}; i++)); do
  command[i]=$(sed -E "s#(^|=)/(usr|etc|var)/#\1$scratch/\2/#" <<<"${command[i]}")
done
echo "ExecStart: ${command[*]}" | sed "s#$scratch#<root>#g"
log_format=$(env -i bash -c "set -a; source '$env_file'; printf '%s' \"\$HOMEWARD_LOG_FORMAT\"")
(cd "$scratch/var/lib/homeward" && HOMEWARD_LOG_FORMAT=$log_format exec "${command[@]}") 2>"$work/aggregator.log" &
aggregator=$!
pids+=($aggregator)
ready=""
for ((i = 0; i < 300; i++)); do
  ready=$(curl -sS --max-time 2 "http://127.0.0.1:$((port + 1))/readyz" 2>/dev/null || true)
  [ "$ready" = ready ] && break
  kill -0 "$aggregator" 2>/dev/null || fail "the aggregator exited"
  sleep 0.1
done
[ "$ready" = ready ] || fail "/readyz: '$ready'"
grep -q '^homeward_build_info{program="homeward-aggregator"' <<<"$(curl -fsS --max-time 5 "http://127.0.0.1:$((port + 1))/metrics")" ||
  fail "no metrics"
[ -s "$scratch/var/lib/homeward/aggregator.db" ] || fail "the store is not in the state directory"
head -n 1 "$work/aggregator.log" | /usr/bin/python3 -c 'import json, sys; json.loads(sys.stdin.readline())' ||
  fail "the environment file's HOMEWARD_LOG_FORMAT=json was not applied"
kill -TERM "$aggregator"
for ((i = 0; i < 300; i++)); do kill -0 "$aggregator" 2>/dev/null || break; sleep 0.1; done
kill -0 "$aggregator" 2>/dev/null && fail "the aggregator did not stop within 30 s of SIGTERM (TimeoutStopSec)"
wait "$aggregator" || fail "the aggregator exited $? after SIGTERM"
echo "package end-to-end: 1 passed, 0 failed"
