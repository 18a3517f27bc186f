// File: checkpoint.h
//
// Where an import resumes after being stopped or killed mid-file. A checkpoint is written only
// after the log has acknowledged everything before it (delivery reports), so resuming from it
// leaves no gap; at most the batch in flight at the kill is published again, and its events
// carry the same ids, so the chronology holds each once.
#ifndef HOMEWARD_SERVICES_ADAPTERS_RUNNER_CHECKPOINT_H_
#define HOMEWARD_SERVICES_ADAPTERS_RUNNER_CHECKPOINT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace homeward::adapters {

struct Checkpoint {
  bool malformed_done = false;  // the unreadable records have been dead-lettered
  int64_t next_row = 0;         // rows before this one are published or dead-lettered

  bool operator==(const Checkpoint&) const = default;
};

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // nullopt if there is none for `key`; DATA_LOSS if one exists but cannot be read.
  virtual absl::StatusOr<std::optional<Checkpoint>> Load(const std::string& key) = 0;
  // Durable when it returns OK (written, flushed to disk, then renamed into place).
  virtual absl::Status Save(const std::string& key, const Checkpoint& checkpoint) = 0;
};

// One small file per key in `directory` (created if missing).
class FileCheckpointStore final : public CheckpointStore {
 public:
  explicit FileCheckpointStore(std::string directory) : directory_(std::move(directory)) {}

  // CheckpointStore
  absl::StatusOr<std::optional<Checkpoint>> Load(const std::string& key) override;
  absl::Status Save(const std::string& key, const Checkpoint& checkpoint) override;

 private:
  std::string PathFor(const std::string& key) const;

  std::string directory_;
};

// The key for one export file: "<agency_id>-<SHA-256 of its content, 32 hex digits>", so the
// same file resumes and a changed file starts afresh. NOT_FOUND if it cannot be read.
absl::StatusOr<std::string> CheckpointKeyForFile(const std::string& agency_id, const std::string& path);

}  // namespace homeward::adapters

#endif  // HOMEWARD_SERVICES_ADAPTERS_RUNNER_CHECKPOINT_H_
