#!/usr/bin/env bash
# Kafka ACLs for Homeward on a real cluster: each SASL/SCRAM user (one per service and export
# adapter; deploy/kafka/client.properties) gets only the topics it needs. Run once after
# create-topics.sh, and again when an adapter is added. docs/security.md explains why agencies'
# own systems push through homeward-ingest (mutual TLS) instead of holding Kafka users.
# NOT TESTED AGAINST A BROKER HERE (no Kafka broker can run on these machines, and the mock
# cluster has no ACLs); --dry-run is tested.
#
#   KAFKA_BIN=/opt/kafka/bin BOOTSTRAP=kafka-1.homeward.internal:19094 \
#   ADMIN_CONFIG=admin.properties ADAPTERS="adapter-police-wm adapter-lcs-coventry" deploy/kafka/acls.sh
#
#   --dry-run  print the kafka-acls.sh commands instead of running them
#   --help     this text
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
dry_run=false
case "${1:-}" in
  --help | -h) usage; exit 0 ;;
  --dry-run)
    dry_run=true
    KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin} BOOTSTRAP=${BOOTSTRAP:-kafka-1.homeward.internal:19094}
    ADMIN_CONFIG=${ADMIN_CONFIG:-admin.properties} ADAPTERS=${ADAPTERS:-adapter-example}
    ;;
  "") ;;
  *) echo "acls.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
esac
: "${KAFKA_BIN:?the directory of the Kafka command-line tools (bin)}"
: "${BOOTSTRAP:?host:port of a broker}"
: "${ADMIN_CONFIG:?the admin client properties file}"
: "${ADAPTERS:?the Kafka users of the export adapters, space-separated}"

kafka_acls() {
  local command=("$KAFKA_BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add "$@")
  if $dry_run; then
    printf '%q ' "${command[@]}"
    echo
  else
    "${command[@]}"
  fi
}
acl() {  # acl USER OPERATION TOPIC
  kafka_acls --allow-principal "User:$1" --operation "$2" --topic "$3"
}
group() {  # group USER GROUP
  kafka_acls --allow-principal "User:$1" --operation Read --group "$2"
}

# Producers are idempotent: they also need IdempotentWrite on the cluster.
idempotent() {
  kafka_acls --allow-principal "User:$1" --operation IdempotentWrite --cluster
}

# Export adapters and push ingest write events and dead letters; they read only the
# aggregators' positions (backpressure) and the events topic's watermarks.
for user in $ADAPTERS homeward-ingest; do
  acl "$user" Write homeward.events.v1
  acl "$user" Write homeward.deadletter.v1
  acl "$user" Read homeward.positions.v1
  acl "$user" Describe homeward.events.v1
  group "$user" homeward-aggregator
  idempotent "$user"
done
# The aggregator reads events and alerts, writes dead letters, alerts and identity decisions.
acl homeward-aggregator Read homeward.events.v1
acl homeward-aggregator Read homeward.alerts.v1
acl homeward-aggregator Write homeward.events.v1     # identity decisions are events
acl homeward-aggregator Write homeward.alerts.v1
acl homeward-aggregator Write homeward.deadletter.v1
acl homeward-aggregator Write homeward.anchors.v1      # its access log's sealed heads
acl homeward-aggregator Read homeward.anchors.v1       # read back by VerifyAccessLog
acl homeward-aggregator Write homeward.positions.v1
acl homeward-aggregator Describe homeward.events.v1
group homeward-aggregator homeward-aggregator
idempotent homeward-aggregator
