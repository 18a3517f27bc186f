// File: anchors.h
//
// Where the access log's head is published so that it cannot later be shortened or rewritten
// unnoticed (issue 11, point 14): somewhere the hub itself cannot rewrite. Two places, each
// behind this port:
//  - FileAnchors: an append-only file of one JSON line per anchor (<access log>.anchors), for an
//    operator to hand to an external timestamping service (RFC 3161) or copy off the machine;
//  - KafkaAnchors (services/aggregator/kafka/kafka_anchors.h): the topic homeward.anchors.v1,
//    which in production only the aggregators may write and nobody may delete (deploy/kafka).
// Each anchor is sealed with the access log's key, so a forged one is refused by Verify.
//
// Thread safety: implementations are safe from any thread.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ANCHORS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ANCHORS_H_

#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/aggregator/audit/access_log.h"

namespace homeward::aggregator {

class AnchorStore {
 public:
  virtual ~AnchorStore() = default;
  virtual absl::Status Publish(const Anchor& anchor) = 0;
  // Anchors of `log_id` held there (all, or the most recent ones where the store is large).
  virtual absl::StatusOr<std::vector<Anchor>> Read(const std::string& log_id) = 0;
  virtual std::string name() const = 0;  // for messages: "file run/access-log.db.anchors"
};

// One anchor as one line of JSON, and back; INVALID_ARGUMENT for a malformed line.
std::string AnchorJson(const Anchor& anchor);
absl::StatusOr<Anchor> ParseAnchor(absl::string_view json);

class FileAnchors final : public AnchorStore {
 public:
  explicit FileAnchors(std::string path) : path_(std::move(path)) {}
  absl::Status Publish(const Anchor& anchor) override ABSL_LOCKS_EXCLUDED(mu_);
  // Every parseable line; a malformed one is reported as an anchor that will not verify.
  absl::StatusOr<std::vector<Anchor>> Read(const std::string& log_id) override ABSL_LOCKS_EXCLUDED(mu_);
  std::string name() const override { return absl::StrCat("file ", path_); }

 private:
  const std::string path_;
  absl::Mutex mu_;
};

// Publishes the log's head to every store when it has moved since the last time, and gathers
// every store's anchors for Verify. Errors are logged, never thrown at the caller's path.
class Anchoring {
 public:
  // `log` and the stores must outlive this object.
  Anchoring(const AccessLog& log, std::vector<AnchorStore*> stores) : log_(log), stores_(std::move(stores)) {}
  // Publishes the head if it moved (or `force`). OK if every store took it.
  absl::Status AnchorNow(bool force = false) ABSL_LOCKS_EXCLUDED(mu_);
  // Every store's anchors of this log; a store that cannot be read is an error naming it.
  absl::StatusOr<std::vector<Anchor>> Gather() const;

 private:
  const AccessLog& log_;
  const std::vector<AnchorStore*> stores_;
  absl::Mutex mu_;
  int64_t anchored_seq_ ABSL_GUARDED_BY(mu_) = -1;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ANCHORS_H_
