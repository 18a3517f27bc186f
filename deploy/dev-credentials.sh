#!/usr/bin/env bash
# Development credentials for the embedded stack and the tests: a private CA, a server
# certificate for the loopback listeners, one client certificate per system, and the key that
# signs people's access tokens. NOT for production: there, certificates come from the
# partnership's PKI and the token key from its secret store (deploy/README.md).
#
#   deploy/dev-credentials.sh DIR [SUBJECT...]
# Writes DIR/ca.pem, DIR/server.{pem,key}, DIR/clients/SUBJECT.{pem,key} for each subject
# (default: the sample agencies, the duty team's system, the `homeward` CLI and the web workspace) and
# DIR/token.key. Existing files are kept, so it is safe to run again; a new subject is added.
# Keys are EC P-256 (fast to make), certificates last 30 days; delete DIR to start afresh.
set -euo pipefail

case "${1:-}" in
  --help | -h) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
  -*) echo "dev-credentials.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
esac
dir=${1:?usage: dev-credentials.sh DIR [SUBJECT...]}
shift
subjects=("$@")
if [ ${#subjects[@]} -eq 0 ]; then
  subjects=(homeward-cli homeward-web duty.missing-children-duty
            police.west-midlands police.warwickshire home.oakfield-house lcs.coventry
            rhi.coventry-independent education.coventry health.coventry-ed ssda903.coventry)
fi
# Certificates about to expire (a run directory kept for weeks) are made afresh.
if [ -s "$dir/ca.pem" ]; then
  for cert in "$dir/ca.pem" "$dir/server.pem" "$dir"/clients/*.pem; do
    if [ -s "$cert" ] && ! openssl x509 -checkend 86400 -noout -in "$cert" >/dev/null 2>&1; then
      echo "dev-credentials: $cert expires within a day: making new credentials" >&2
      rm -rf "${dir:?}/ca.pem" "$dir/ca.key" "$dir/ca.srl" "$dir/server".* "$dir/clients"
      break
    fi
  done
fi
mkdir -p "$dir/clients"
chmod 700 "$dir"
umask 077

new_key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }

if [ ! -s "$dir/ca.pem" ]; then
  new_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 30 -subj "/CN=Homeward development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.pem" 2>/dev/null
fi

issue() {  # issue CN OUT_PREFIX EXTENSIONS
  local cn=$1 out=$2 ext=$3
  [ -s "$out.pem" ] && return 0
  new_key "$out.key"
  openssl req -new -key "$out.key" -subj "/CN=$cn" -out "$out.csr" 2>/dev/null
  openssl x509 -req -in "$out.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 30 -sha256 -extfile <(printf '%s\n' "$ext") -out "$out.pem" 2>/dev/null
  rm -f "$out.csr"
}

issue homeward-server "$dir/server" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
for subject in "${subjects[@]}"; do
  issue "$subject" "$dir/clients/$subject" "extendedKeyUsage=clientAuth"
done

if [ ! -s "$dir/integrity.key" ]; then
  # Seals the aggregator's stored events and its access log (docs/security.md, "Integrity").
  openssl rand -hex 32 >"$dir/integrity.key"
  chmod 600 "$dir/integrity.key"
fi
if [ ! -s "$dir/token.key" ]; then
  openssl rand -hex 32 >"$dir/token.key"
fi
