#!/usr/bin/env bash
# Installs the Debian packages Homeward needs to build, run and test. Idempotent: installs only
# what is missing, so `make run` and `make test` can call it every time at almost no cost.
#   deploy/setup.sh             what make run / make test / make bench need
#   deploy/setup.sh fuzz        also clang 14 and its libFuzzer runtime (make soak)
#   deploy/setup.sh --dry-run   say what is missing, install nothing
#   deploy/setup.sh --help      this text
set -euo pipefail

dry_run=false
case "${1:-}" in
  --help | -h) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  --dry-run) dry_run=true; shift ;;
esac

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  librdkafka-dev                                   # Kafka client and the mock cluster
  libprotobuf-dev protobuf-compiler                # event contract
  libgrpc++-dev protobuf-compiler-grpc             # query, alert and ingest services
  libabsl-dev                                      # Status, Time, flags, containers
  libgtest-dev libgmock-dev libbenchmark-dev       # tests and benchmarks
  libsqlite3-dev sqlite3                           # durable store
  libcsv-dev                                       # CSV exports (RFC 4180)
  libspdlog-dev                                    # logging
  nlohmann-json3-dev                               # JSON agency exports
  libcurl4-openssl-dev                             # webhooks
  libcpp-httplib-dev                               # the webhook receiver in tests
  openssl libssl-dev                               # development certificates, SHA-256
  nodejs npm                                       # the web workspace's assets (govuk-frontend, web/)
  chromium chromium-driver python3-selenium        # the web workspace's browser tests
  curl python3-prometheus-client                   # the metrics test scrapes and parses /metrics
  help2man dpkg-dev fakeroot                       # man pages from --help; the .deb (CPack)
  shellcheck                                       # deploy/ scripts are checked by a test
  systemd man-db                                   # the package test verifies the units (systemd-analyze)
)
if [ "${1:-}" = fuzz ]; then
  packages+=(clang-14 libclang-rt-14-dev)          # libFuzzer, ASan, UBSan
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# A machine with Node.js and npm from elsewhere (not Debian's packages) keeps them.
if command -v node >/dev/null && command -v npm >/dev/null; then
  kept=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || kept+=("$p"); done
  missing=(${kept[@]+"${kept[@]}"})
fi
if $dry_run; then
  echo "setup: missing: ${missing[*]:-nothing}"
  [ -d "$(dirname "$0")/../web/node_modules/govuk-frontend" ] || echo "setup: missing: the web workspace's assets (npm ci in web/)"
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The web workspace's assets, from the npm registry at the versions web/package-lock.json pins;
# again only when the lock file changed since the last install. Served by homeward-web: nothing
# is fetched when the workspace runs.
web="$(cd "$(dirname "$0")/.." && pwd)/web"
stamp="$web/node_modules/.homeward-installed-lock.json"
if ! cmp -s "$web/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: installing the web workspace's assets (npm ci in web/)"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$web/package-lock.json" "$stamp"
fi
