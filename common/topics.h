// File: topics.h
//
// Homeward's Kafka topics. kafka::HomewardTopics() (mock_cluster.h) gives each one's partitions
// and production retention; the embedded mock creates them from it, production with
// deploy/kafka/create-topics.sh, which a test holds to the same table (tests/deploy).
#ifndef HOMEWARD_COMMON_TOPICS_H_
#define HOMEWARD_COMMON_TOPICS_H_

namespace homeward::kafka {

// Every agency event, keyed by "<agency_id>/<source_record>" so all revisions of one source
// record stay in order on one partition.
inline constexpr char kEventsTopic[] = "homeward.events.v1";
// Input that could not be accepted, with the reason: never silently dropped.
inline constexpr char kDeadLetterTopic[] = "homeward.deadletter.v1";
// Strategy-meeting and compliance alerts.
inline constexpr char kAlertsTopic[] = "homeward.alerts.v1";
// The access logs' sealed heads (services/aggregator/audit/anchors.h), keyed by log id: written
// only by aggregators, never compacted or deleted.
inline constexpr char kAnchorsTopic[] = "homeward.anchors.v1";
// Each aggregator replica's position (next offset per partition), keyed by replica id, a few
// times a second: producers' backpressure and lag monitoring (common/kafka/lag.h). Compacted.
inline constexpr char kPositionsTopic[] = "homeward.positions.v1";

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_TOPICS_H_
