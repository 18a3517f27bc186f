// File: access_log.h
//
// The access log (golden rule 7, domain brief §5 "What an access audit trail should hold"):
// every read, search, disclosure, identity decision, alert action and purge, and every refusal
// (a decision not to share is recorded too), with who, role, agency, when, which child, what was
// disclosed or withheld, and the purpose and lawful basis the caller gave.
//
// Append-only and tamper-evident (issue 11, point 14):
//  - each entry carries the SHA-256 of its predecessor's hash and its own canonical content, so
//    editing, deleting or reordering any entry breaks the chain from there on;
//  - each entry's hash is sealed with an HMAC-SHA256 under the hub's access-log key (derived from
//    the integrity key, which lives outside the file), so an edit that recomputes the chain is
//    still found;
//  - the head (seq, hash), sealed the same way, is published as an Anchor where the hub cannot
//    rewrite it (audit/anchors.h: the anchors topic, and an append-only file an external
//    timestamping service can take), so entries cut off the end are found too.
// Verify() checks all three and reports every break, not only the first. Durable in its own
// SQLite file (WAL), so it never contends with the event store's writer.
//
// Thread safety: all methods are safe from any thread; appends are serialised.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ACCESS_LOG_H_
#define HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ACCESS_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace homeward::aggregator {

struct AccessEntry {
  int64_t seq = 0;  // 1, 2, ... (set by Append)
  absl::Time at;
  // Who.
  std::string subject;  // person's user id or system's certificate subject; "" if unknown
  std::string role;
  std::string agency;
  std::string authority;
  std::string team;
  std::string client;  // the certificate the call came through
  std::string peer;    // network address
  // What.
  std::string action;    // access::ActionName, e.g. "read-child"
  std::string method;    // the RPC, e.g. "GetChronology"
  std::string child_id;  // the child concerned, "" if none
  std::string detail;    // what was disclosed or withheld, e.g. "37 entries; masked: ..."
  // Why.
  std::string purpose;
  std::string lawful_basis;
  // Result: "OK", or the refusal ("PERMISSION_DENIED: ...").
  std::string outcome;
  // The chain (lower-case hex SHA-256).
  std::string prev_hash;
  std::string hash;
  // HMAC-SHA256 of `hash` under the access-log key (hex); set by Append.
  std::string mac;
};

// The head of an access log at a moment, sealed with the log's key: published elsewhere so the
// log cannot later be shortened unnoticed.
struct Anchor {
  std::string log_id;  // which log: the aggregator replica's id
  int64_t seq = 0;
  std::string hash;
  absl::Time at;
  std::string mac;  // HMAC-SHA256 over (log_id, seq, hash, at) under the access-log key, hex
};

// One break found by Verify().
struct ChainBreak {
  int64_t seq = 0;  // the first entry concerned
  std::string problem;
};

// The hash of `entry` given its predecessor's (entry.prev_hash), over every field but `hash`.
std::string AccessEntryHash(const AccessEntry& entry);

struct AccessQuery {
  std::vector<std::string> child_ids;  // any of these; empty = every child
  std::string subject;                 // "" = everyone
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  int64_t after_seq = 0;  // paging: entries with seq > after_seq
  int limit = 1000;
};

struct ChainCheck {
  int64_t entries = 0;
  bool intact = true;
  int64_t first_bad_seq = 0;  // when not intact: breaks.front()
  std::string problem;
  std::vector<ChainBreak> breaks;  // every break, in seq order (at most kMaxBreaks listed)
  int64_t more_breaks = 0;         // beyond those listed
  std::string head_hash;           // the last entry's hash
  int64_t anchors_checked = 0;
  int64_t anchored_seq = 0;  // the highest seq a valid anchor vouches for
  static constexpr size_t kMaxBreaks = 100;
};

class AccessLog {
 public:
  // `path` "" keeps the log in memory (tests). Creates the file and table if missing and
  // reloads the chain's head. `key` seals entries and anchors (at least 32 bytes); entries
  // written before the log had seals are sealed, as they stand, on first open (logged).
  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(const std::string& path, bool synchronous_full,
                                                         std::string key, std::string log_id = "aggregator");
  ~AccessLog();

  // Sets seq, prev_hash and hash, and commits. An error means nothing was recorded (callers
  // must then not disclose).
  absl::StatusOr<AccessEntry> Append(AccessEntry entry) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<AccessEntry>> Query(const AccessQuery& query) const ABSL_LOCKS_EXCLUDED(mu_);
  // Recomputes the whole chain from the file: every entry's hash, link and seal, and that the
  // file holds what each of `anchors` (those of this log with a valid seal) vouches for.
  absl::StatusOr<ChainCheck> Verify(const std::vector<Anchor>& anchors = {}) const ABSL_LOCKS_EXCLUDED(mu_);

  // The current head, sealed, to publish elsewhere. seq 0 for an empty log.
  Anchor Head() const ABSL_LOCKS_EXCLUDED(mu_);
  // Whether `anchor` was sealed with this log's key.
  bool AnchorSealed(const Anchor& anchor) const;
  const std::string& log_id() const { return log_id_; }

 private:
  struct Db;
  AccessLog(std::unique_ptr<Db> db, std::string key, std::string log_id);
  std::string Seal(absl::string_view text) const;

  const std::string key_;
  const std::string log_id_;
  mutable absl::Mutex mu_;
  std::unique_ptr<Db> db_ ABSL_GUARDED_BY(mu_);
  int64_t last_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_hash_ ABSL_GUARDED_BY(mu_);
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_AUDIT_ACCESS_LOG_H_
