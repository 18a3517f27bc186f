#!/usr/bin/env bash
# Creates Homeward's topics on a real Kafka cluster (the embedded mock creates its own: see
# common/kafka/mock_cluster.cc, HomewardTopics(), which must list the same names).
# NOT TESTED ON THESE MACHINES (no Kafka broker available here).
#
#   KAFKA_BIN=/opt/kafka/bin BOOTSTRAP=kafka-1.homeward.internal:19094 \
#   ADMIN_CONFIG=admin.properties deploy/kafka/create-topics.sh
set -euo pipefail
: "${KAFKA_BIN:?path to Kafka's bin/}" "${BOOTSTRAP:?host:port}" "${ADMIN_CONFIG:?admin client properties}"

create() {  # name partitions retention.ms extra-config...
  local name=$1 partitions=$2 retention=$3; shift 3
  "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 3 \
    --config min.insync.replicas=2 --config retention.ms="$retention" "$@"
}

# Events are the system of record for rebuilding any aggregator: keep them for the statutory
# retention period (7 years = 220898664000 ms; brief §7 "7-year-plus retention"). Purge of one
# child's data is done by the retention issue, not by topic expiry.
create homeward.events.v1 12 220898664000 --config compression.type=zstd
# Dead letters: long enough for a data-quality officer to work through them.
create homeward.deadletter.v1 3 7776000000   # 90 days
# Alerts: derived data (rebuildable from events), kept a year for audit.
create homeward.alerts.v1 6 31536000000      # 365 days
# The access logs' sealed heads (issue 11): kept as long as the logs they vouch for, and never
# compacted, so nobody can take an anchor back. Only aggregators write (acls.sh).
create homeward.anchors.v1 1 220898664000
# Each aggregator replica's position, for producers' backpressure and lag monitoring: only the
# newest per replica matters.
create homeward.positions.v1 1 86400000 --config cleanup.policy=compact   # 1 day
