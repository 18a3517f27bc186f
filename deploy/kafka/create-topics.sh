#!/usr/bin/env bash
# Creates Homeward's topics on a real Kafka cluster, as the code defines them: the table below
# is kafka::HomewardTopics() (common/kafka/mock_cluster.cc), which the embedded mock creates
# too; tests/deploy/deploy_scripts_test.sh fails if the two differ
# (`homeward-kafka --list_topics` against `create-topics.sh --list`).
# NOT TESTED AGAINST A BROKER HERE (no Kafka broker can run on these machines); --dry-run and
# --list are tested.
#
#   KAFKA_BIN=/opt/kafka/bin BOOTSTRAP=kafka-1.homeward.internal:19094 \
#   ADMIN_CONFIG=admin.properties deploy/kafka/create-topics.sh [--dry-run]
#
#   --dry-run  print the kafka-topics.sh commands instead of running them (no variables needed
#              beyond defaults)
#   --list     print each topic as `homeward-kafka --list_topics` does, and exit
#   --help     this text
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

# name                    partitions  retention.ms (-1: for ever)  cleanup.policy  extra settings
topics=(
  # The system of record for rebuilding any aggregator: seven years (of 365.2425 days), the
  # statutory retention (brief section 7). Purging one child is the retention sweep, not expiry.
  "homeward.events.v1       6  220898664000  delete   compression.type=zstd"
  # Agencies' refused input: long enough for a data-quality officer to work through it (90 days).
  "homeward.deadletter.v1   1  7776000000    delete"
  # Alerts and their transitions, folded into every replica's store: a year on the log.
  "homeward.alerts.v1       3  31536000000   delete"
  # The access logs' sealed heads: as long as the logs they vouch for, never compacted, so
  # nobody can take an anchor back. Only aggregators write (acls.sh).
  "homeward.anchors.v1      1  220898664000  delete"
  # Each replica's position for producers' backpressure: only the newest per replica matters;
  # segments roll hourly so that compaction keeps the topic small.
  "homeward.positions.v1    1  -1            compact  segment.ms=3600000"
)

mode=create
case "${1:-}" in
  --help | -h) usage; exit 0 ;;
  --dry-run) mode=dry-run ;;
  --list) mode=list ;;
  "") ;;
  *) echo "create-topics.sh: unknown option '$1' (--help)" >&2; exit 2 ;;
esac

if [ "$mode" = list ]; then
  for line in "${topics[@]}"; do
    read -r name partitions retention policy _ <<<"$line"
    echo "$name partitions=$partitions retention.ms=$retention cleanup.policy=$policy"
  done
  exit 0
fi

if [ "$mode" = dry-run ]; then
  KAFKA_BIN=${KAFKA_BIN:-/opt/kafka/bin} BOOTSTRAP=${BOOTSTRAP:-kafka-1.homeward.internal:19094}
  ADMIN_CONFIG=${ADMIN_CONFIG:-admin.properties}
fi
: "${KAFKA_BIN:?the directory of the Kafka command-line tools (bin)}"
: "${BOOTSTRAP:?host:port of a broker}"
: "${ADMIN_CONFIG:?the admin client properties file}"

run() {
  if [ "$mode" = dry-run ]; then
    printf '%q ' "$@"
    echo
  else
    "$@"
  fi
}

for line in "${topics[@]}"; do
  read -r name partitions retention policy extra <<<"$line"
  configs=(--config min.insync.replicas=2 --config "retention.ms=$retention" --config "cleanup.policy=$policy")
  for setting in $extra; do configs+=(--config "$setting"); done
  run "$KAFKA_BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" \
    --create --if-not-exists --topic "$name" --partitions "$partitions" --replication-factor 3 "${configs[@]}"
done
