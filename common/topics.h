// File: topics.h
//
// Homeward's Kafka topics. Production creates them with deploy/kafka/create-topics.sh; the
// embedded mock with kafka::HomewardTopics(); both must list the same names.
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

}  // namespace homeward::kafka

#endif  // HOMEWARD_COMMON_TOPICS_H_
