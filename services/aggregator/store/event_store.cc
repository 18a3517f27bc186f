#include "services/aggregator/store/event_store.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {

constexpr char kSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    received_at_us INTEGER NOT NULL,
    body BLOB NOT NULL,
    log_partition INTEGER NOT NULL DEFAULT -1,
    log_offset INTEGER NOT NULL DEFAULT -1,
    checksum BLOB
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS alert_records (
    epoch INTEGER NOT NULL,
    partition INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (epoch, partition, offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS purged (
    event_id TEXT PRIMARY KEY,
    purged_at_us INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS quarantine (
    event_id TEXT NOT NULL,
    quarantined_at_us INTEGER NOT NULL,
    log_partition INTEGER NOT NULL,
    log_offset INTEGER NOT NULL,
    problem TEXT NOT NULL,
    body BLOB
  );
  CREATE TABLE IF NOT EXISTS log_gaps (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    from_offset INTEGER NOT NULL,
    to_offset INTEGER NOT NULL,
    detected_at_us INTEGER NOT NULL,
    accepted_at_us INTEGER,
    accepted_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (topic, partition, from_offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS rules_revisions (
    revision INTEGER PRIMARY KEY,
    adopted_at_us INTEGER NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL
  );
)sql";

constexpr int kSchemaVersion = 3;

// One prepared statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) stmt_ = nullptr;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }
  Statement& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }
  Statement& Bind(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int i, absl::string_view bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  // Not copied: `text` or `bytes` must outlive the next Step (the commit's rows, bound row by row).
  Statement& BindRef(int i, absl::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& BindBlobRef(int i, absl::string_view bytes) {
    sqlite3_bind_blob(stmt_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
    return *this;
  }
  Statement& Bind(int i, int64_t n) {
    sqlite3_bind_int64(stmt_, i, n);
    return *this;
  }
  int Step() { return sqlite3_step(stmt_); }
  // Column bytes, whatever they hold (NUL included).
  std::string Bytes(int i) const { return std::string(View(i)); }
  // The same, valid until the next Step or Reset.
  absl::string_view View(int i) const {
    const void* data = sqlite3_column_blob(stmt_, i);
    return data == nullptr ? absl::string_view()
                           : absl::string_view(static_cast<const char*>(data), sqlite3_column_bytes(stmt_, i));
  }
  int64_t Int(int i) const { return sqlite3_column_int64(stmt_, i); }
  bool IsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// The checksums of stored events: HMAC-SHA256 under the store's key (SHA-256 with none) of
// every field length-prefixed, so no two rows encode alike. The MAC (or digest) is fetched and
// keyed once: OpenSSL 3's one-shot HMAC() looks the algorithm up again on every call, which was
// a third of the cost of sealing a row.
class Sealer {
 public:
  static constexpr size_t kSize = 32;  // SHA-256
  using Seal = std::array<unsigned char, kSize>;

  static absl::StatusOr<std::unique_ptr<Sealer>> Create(absl::string_view key) {
    auto sealer = std::unique_ptr<Sealer>(new Sealer());
    if (key.empty()) {
      sealer->md_ = EVP_MD_fetch(nullptr, "SHA256", nullptr);
      sealer->md_ctx_ = EVP_MD_CTX_new();
      if (sealer->md_ == nullptr || sealer->md_ctx_ == nullptr) return absl::InternalError("event store: no SHA-256");
      return sealer;
    }
    sealer->mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    sealer->mac_ctx_ = sealer->mac_ == nullptr ? nullptr : EVP_MAC_CTX_new(sealer->mac_);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (sealer->mac_ctx_ == nullptr ||
        EVP_MAC_init(sealer->mac_ctx_, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
      return absl::InternalError("event store: cannot set up HMAC-SHA256 for the checksums");
    }
    return sealer;
  }
  ~Sealer() {
    EVP_MAC_CTX_free(mac_ctx_);
    EVP_MAC_free(mac_);
    EVP_MD_CTX_free(md_ctx_);
    EVP_MD_free(md_);
  }
  Sealer(const Sealer&) = delete;
  Sealer& operator=(const Sealer&) = delete;

  // The checksum of one row; nullopt only if OpenSSL fails.
  std::optional<Seal> Compute(absl::string_view event_id, int64_t received_at_us, int64_t partition, int64_t offset,
                              absl::string_view body) {
    prefix_.clear();
    absl::StrAppend(&prefix_, event_id.size(), ":", event_id, ";", received_at_us, ";", partition, ";", offset, ";",
                    body.size(), ":");
    const auto* head = reinterpret_cast<const unsigned char*>(prefix_.data());
    const auto* tail = reinterpret_cast<const unsigned char*>(body.data());
    Seal seal;
    size_t len = 0;
    if (mac_ctx_ != nullptr) {
      // A null key starts again with the key already set.
      if (EVP_MAC_init(mac_ctx_, nullptr, 0, nullptr) != 1 || EVP_MAC_update(mac_ctx_, head, prefix_.size()) != 1 ||
          EVP_MAC_update(mac_ctx_, tail, body.size()) != 1 || EVP_MAC_final(mac_ctx_, seal.data(), &len, kSize) != 1) {
        return std::nullopt;
      }
    } else {
      unsigned int n = 0;
      if (EVP_DigestInit_ex(md_ctx_, md_, nullptr) != 1 || EVP_DigestUpdate(md_ctx_, head, prefix_.size()) != 1 ||
          EVP_DigestUpdate(md_ctx_, tail, body.size()) != 1 || EVP_DigestFinal_ex(md_ctx_, seal.data(), &n) != 1) {
        return std::nullopt;
      }
      len = n;
    }
    if (len != kSize) return std::nullopt;
    return seal;
  }

 private:
  Sealer() = default;

  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* mac_ctx_ = nullptr;
  EVP_MD* md_ = nullptr;
  EVP_MD_CTX* md_ctx_ = nullptr;
  std::string prefix_;  // the fields before the body, reused row to row
};

absl::string_view View(const Sealer::Seal& seal) {
  return absl::string_view(reinterpret_cast<const char*>(seal.data()), seal.size());
}

// Checkpoints the store's WAL into its database file on a thread and connection of its own, when
// a commit has taken the WAL past `pages`: SQLite's automatic checkpoint ran inside that commit,
// on the ingest thread, writing and syncing the database file while the next batch waited.
// PASSIVE: it never blocks the writer, and copies what it can.
class Checkpointer {
 public:
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(const std::string& path, bool synchronous_full) {
    sqlite3* db = nullptr;
    auto fail = [&](absl::string_view what) {
      absl::Status s = absl::InternalError(absl::StrCat("event store: ", what, " ", path, ": ", sqlite3_errmsg(db)));
      sqlite3_close(db);
      return s;
    };
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      return fail("open to checkpoint");
    }
    const char* pragma = synchronous_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
    if (sqlite3_exec(db, pragma, nullptr, nullptr, nullptr) != SQLITE_OK) return fail("checkpoint connection to");
    return std::unique_ptr<Checkpointer>(new Checkpointer(db));
  }
  ~Checkpointer() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    thread_.join();
    sqlite3_close(db_);
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Asks for a checkpoint; returns at once (one already asked for and not begun covers this one).
  void Request() {
    absl::MutexLock lock(&mu_);
    wanted_ = true;
  }
  int64_t done() const { return done_.load(std::memory_order_relaxed); }

 private:
  explicit Checkpointer(sqlite3* db) : db_(db), thread_([this] { Loop(); }) {}

  void Loop() {
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(+[](Checkpointer* c) { return c->wanted_ || c->stop_; }, this));
        if (stop_) return;
        wanted_ = false;
      }
      const int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc == SQLITE_OK) {
        done_.fetch_add(1, std::memory_order_relaxed);
      } else if (rc != SQLITE_BUSY) {  // busy: the writer's own checkpoint (below) is running
        log::Warn("event store: WAL checkpoint failed ({}); the next commit past the threshold asks again",
                  sqlite3_errmsg(db_));
      }
    }
  }

  sqlite3* const db_;
  absl::Mutex mu_;
  bool wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int64_t> done_{0};
  std::thread thread_;  // last: starts once the rest is set
};

}  // namespace

std::string LogGap::Describe() const {
  if (to < from) {
    return absl::StrCat(tp.topic, "/", tp.partition, ": the log moved back (next offset ", from, ", log now ends at ",
                        to + 1, ")");
  }
  return absl::StrCat(tp.topic, "/", tp.partition, " offsets ", from, "..", to, " (", to - from + 1, " records)");
}

struct SqliteEventStore::Impl {
  sqlite3* db = nullptr;
  std::unique_ptr<Sealer> sealer;
  std::unique_ptr<Checkpointer> checkpointer;  // none for a store in memory
  int checkpoint_pages = 0;
  int wal_limit_pages = 0;
  int64_t in_commit_checkpoints = 0;
  int64_t wal_limit_reached = 0;
  int64_t limit_warnings = 0;  // logged for those
  std::unique_ptr<Statement> insert_event, upsert_offset, insert_alert;
  // The offsets this connection last committed, as the table still holds them (none at first,
  // nor after a quarantine rewinds some): a commit writes only the partitions whose offset moved.
  NextOffsets committed_offsets;

  absl::Status Error(absl::string_view what) const {
    return absl::InternalError(absl::StrCat("event store: ", what, ": ", sqlite3_errmsg(db)));
  }
  absl::Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      absl::Status s = absl::InternalError(absl::StrCat("event store: ", err != nullptr ? err : "?"));
      sqlite3_free(err);
      return s;
    }
    return absl::OkStatus();
  }
  // Runs `body` in a transaction: committed if it returns OK, rolled back otherwise.
  template <typename Body>
  absl::Status Transaction(Body body) {
    if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    absl::Status s = body();
    if (s.ok()) s = Exec("COMMIT");
    if (!s.ok()) Exec("ROLLBACK").IgnoreError();  // the error that matters is `s`
    return s;
  }
  int SchemaVersion() {
    Statement q(db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (!q.ok() || q.Step() != SQLITE_ROW) return 0;
    return std::atoi(q.Bytes(0).c_str());
  }
  absl::Status Migrate();
  absl::Status PurgeLocked(const std::vector<std::string>& event_ids, absl::Time at);
  // After every commit (SQLite's WAL hook, on the committing thread, under the store's lock).
  static int OnWalCommit(void* arg, sqlite3* db, const char* name, int pages) {
    auto* d = static_cast<Impl*>(arg);
    if (pages >= d->wal_limit_pages) {
      // Expected while a rebuild writes without pause, so said at the 1st, 2nd, 4th, 8th... time;
      // the metric homeward_store_wal_checkpoints_total{where="in_commit"} counts every one.
      if (const int64_t n = ++d->wal_limit_reached; (n & (n - 1)) == 0) {
        log::Warn("event store: the WAL holds {} pages (limit {}): checkpointing in this commit ({} time(s) since "
                  "start; the background checkpoint cannot keep up with the writer)",
                  pages, d->wal_limit_pages, n);
        ++d->limit_warnings;
      }
      if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK) {
        ++d->in_commit_checkpoints;
      }
    } else if (pages >= d->checkpoint_pages && d->checkpointer != nullptr) {
      d->checkpointer->Request();
    }
    return SQLITE_OK;
  }
  ~Impl() {
    insert_event.reset();
    upsert_offset.reset();
    insert_alert.reset();
    checkpointer.reset();  // first: the last connection to close checkpoints and removes the WAL
    sqlite3_close(db);
  }
};

absl::Status SqliteEventStore::Impl::Migrate() {
  const int version = SchemaVersion();
  if (version == kSchemaVersion) return absl::OkStatus();
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("event store: schema ", version, " is newer than this aggregator (", kSchemaVersion, ")"));
  }
  return Transaction([&]() -> absl::Status {
    if (version == 1) {
      // Schema 1 had no positions or checksums: add them, and seal what is there as it is.
      for (const char* sql : {"ALTER TABLE events ADD COLUMN log_partition INTEGER NOT NULL DEFAULT -1",
                              "ALTER TABLE events ADD COLUMN log_offset INTEGER NOT NULL DEFAULT -1",
                              "ALTER TABLE events ADD COLUMN checksum BLOB"}) {
        if (absl::Status s = Exec(sql); !s.ok()) return s;
      }
      Statement rows(db, "SELECT event_id, received_at_us, body FROM events");
      Statement seal(db, "UPDATE events SET checksum = ?2 WHERE event_id = ?1");
      if (!rows.ok() || !seal.ok()) return Error("prepare migration");
      int64_t sealed = 0;
      while (rows.Step() == SQLITE_ROW) {
        const std::string id = rows.Bytes(0);
        const std::optional<Sealer::Seal> sum = sealer->Compute(id, rows.Int(1), -1, -1, rows.View(2));
        if (!sum.has_value()) return absl::InternalError("event store: cannot compute a checksum (OpenSSL)");
        seal.Reset().Bind(1, id).BindBlob(2, View(*sum));
        if (seal.Step() != SQLITE_DONE) return Error("seal event");
        ++sealed;
      }
      log::Warn("event store: migrated from schema 1; sealed {} stored event(s) with a checksum as they stood "
                "(their log positions are unknown: a damaged one can be rebuilt only by rebuilding the store)",
                sealed);
    }
    if (version <= 2) {
      // Schema 2 keyed alert records by (partition, offset) alone, so a new alerts topic (a fresh
      // embedded Kafka) reused the positions of the old one and its records were not stored.
      // They are the first epoch now.
      for (const char* sql : {"ALTER TABLE alert_records RENAME TO alert_records_v2",
                              "CREATE TABLE alert_records (epoch INTEGER NOT NULL, partition INTEGER NOT NULL, "
                              "offset INTEGER NOT NULL, body BLOB NOT NULL, PRIMARY KEY (epoch, partition, offset)) "
                              "WITHOUT ROWID",
                              "INSERT INTO alert_records SELECT 0, partition, offset, body FROM alert_records_v2",
                              "DROP TABLE alert_records_v2"}) {
        if (absl::Status s = Exec(sql); !s.ok()) return s;
      }
    }
    const std::string set =
        absl::StrCat("INSERT OR REPLACE INTO meta VALUES ('schema_version', '", kSchemaVersion, "')");
    return Exec(set.c_str());
  });
}

SqliteEventStore::SqliteEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteEventStore::~SqliteEventStore() = default;

absl::StatusOr<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(const StoreOptions& options) {
  if (options.checkpoint_pages < 1 || options.wal_limit_pages < options.checkpoint_pages) {
    return absl::InvalidArgumentError(absl::StrCat("event store: checkpoint_pages (", options.checkpoint_pages,
                                                   ") must be at least 1 and at most wal_limit_pages (",
                                                   options.wal_limit_pages, ")"));
  }
  auto impl = std::make_unique<Impl>();
  absl::StatusOr<std::unique_ptr<Sealer>> sealer = Sealer::Create(options.integrity_key);
  if (!sealer.ok()) return sealer.status();
  impl->sealer = *std::move(sealer);
  const std::string path = options.path.empty() ? ":memory:" : options.path;
  if (!options.path.empty()) {
    std::error_code ec;  // a missing directory is created; a failure shows up in the open below
    std::filesystem::create_directories(std::filesystem::path(options.path).parent_path(), ec);
  }
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return impl->Error(absl::StrCat("open ", path));
  }
  const std::string pragmas = absl::StrCat("PRAGMA journal_mode=WAL; PRAGMA synchronous=",
                                           options.synchronous_full ? "FULL" : "NORMAL", ";");
  if (absl::Status s = impl->Exec(pragmas.c_str()); !s.ok()) return s;
  // An existing schema-1 store keeps its old events table until Migrate adds the columns.
  const bool fresh = [&] {
    Statement q(impl->db, "SELECT 1 FROM sqlite_master WHERE name = 'events'");
    return !q.ok() || q.Step() != SQLITE_ROW;
  }();
  if (absl::Status s = impl->Exec(kSchema); !s.ok()) return s;
  if (fresh) {
    const std::string set = absl::StrCat("INSERT OR IGNORE INTO meta VALUES ('schema_version', '", kSchemaVersion, "')");
    if (absl::Status s = impl->Exec(set.c_str()); !s.ok()) return s;
  } else if (impl->SchemaVersion() == 0) {
    if (absl::Status s = impl->Exec("INSERT OR IGNORE INTO meta VALUES ('schema_version', '1')"); !s.ok()) return s;
  }
  if (absl::Status s = impl->Migrate(); !s.ok()) return s;
  impl->checkpoint_pages = options.checkpoint_pages;
  impl->wal_limit_pages = options.wal_limit_pages;
  if (!options.path.empty()) {
    absl::StatusOr<std::unique_ptr<Checkpointer>> checkpointer = Checkpointer::Start(path, options.synchronous_full);
    if (!checkpointer.ok()) return checkpointer.status();
    impl->checkpointer = *std::move(checkpointer);
  }
  // Replaces SQLite's automatic checkpoint (itself a WAL hook) with the thread above.
  sqlite3_wal_hook(impl->db, &Impl::OnWalCommit, impl.get());
  impl->insert_event = std::make_unique<Statement>(
      impl->db,
      "INSERT OR IGNORE INTO events (event_id, received_at_us, body, log_partition, log_offset, checksum) "
      "SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM purged WHERE event_id = ?1)");
  impl->upsert_offset = std::make_unique<Statement>(
      impl->db,
      "INSERT INTO offsets VALUES (?1, ?2, ?3) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = "
      "excluded.next_offset");
  impl->insert_alert = std::make_unique<Statement>(impl->db, "INSERT OR IGNORE INTO alert_records VALUES (?1, ?2, ?3, ?4)");
  if (!impl->insert_event->ok() || !impl->upsert_offset->ok() || !impl->insert_alert->ok()) return impl->Error("prepare");
  return std::unique_ptr<SqliteEventStore>(new SqliteEventStore(std::move(impl)));
}

absl::Status SqliteEventStore::Commit(const std::vector<StoredEvent>& events,
                                      const std::vector<StoredAlertRecord>& alert_records, const NextOffsets& offsets,
                                      const std::vector<std::string>& purged_ids, absl::Time purged_at) {
  absl::MutexLock lock(&mu_);
  Impl& d = *impl_;
  const absl::Status committed = d.Transaction([&]() -> absl::Status {
    if (absl::Status s = d.PurgeLocked(purged_ids, purged_at); !s.ok()) return s;
    for (const StoredEvent& e : events) {
      const int64_t at = absl::ToUnixMicros(e.received_at);
      const std::optional<Sealer::Seal> sum = d.sealer->Compute(e.event_id, at, e.partition, e.offset, e.bytes);
      if (!sum.has_value()) return absl::InternalError("event store: cannot compute a checksum (OpenSSL)");
      d.insert_event->Reset()
          .BindRef(1, e.event_id)
          .Bind(2, at)
          .BindBlobRef(3, e.bytes)
          .Bind(4, e.partition)
          .Bind(5, e.offset)
          .BindBlobRef(6, View(*sum));
      if (d.insert_event->Step() != SQLITE_DONE) return d.Error("insert event");
    }
    for (const StoredAlertRecord& r : alert_records) {
      d.insert_alert->Reset().Bind(1, r.epoch).Bind(2, r.partition).Bind(3, r.offset).BindBlob(4, r.bytes);
      if (d.insert_alert->Step() != SQLITE_DONE) return d.Error("insert alert record");
    }
    for (const auto& [tp, next] : offsets) {
      if (const auto held = d.committed_offsets.find(tp); held != d.committed_offsets.end() && held->second == next) {
        continue;
      }
      d.upsert_offset->Reset().Bind(1, tp.topic).Bind(2, tp.partition).Bind(3, next);
      if (d.upsert_offset->Step() != SQLITE_DONE) return d.Error("store offset");
    }
    return absl::OkStatus();
  });
  if (committed.ok()) {  // a failed commit was rolled back: the table holds what it did
    for (const auto& [tp, next] : offsets) d.committed_offsets[tp] = next;
  }
  return committed;
}

SqliteEventStore::CheckpointCounts SqliteEventStore::checkpoints() {
  absl::MutexLock lock(&mu_);
  return {.background = impl_->checkpointer != nullptr ? impl_->checkpointer->done() : 0,
          .in_commit = impl_->in_commit_checkpoints,
          .limit_reached = impl_->wal_limit_reached,
          .limit_warnings = impl_->limit_warnings};
}

absl::Status SqliteEventStore::Impl::PurgeLocked(const std::vector<std::string>& event_ids, absl::Time at) {
  if (event_ids.empty()) return absl::OkStatus();
  Statement remove(db, "DELETE FROM events WHERE event_id = ?1");
  Statement remember(db, "INSERT OR IGNORE INTO purged VALUES (?1, ?2)");
  if (!remove.ok() || !remember.ok()) return Error("prepare purge");
  for (const std::string& id : event_ids) {
    remove.Reset().Bind(1, id);
    remember.Reset().Bind(1, id).Bind(2, absl::ToUnixMicros(at));
    if (remove.Step() != SQLITE_DONE || remember.Step() != SQLITE_DONE) return Error("purge");
  }
  return absl::OkStatus();
}

absl::Status SqliteEventStore::Purge(const std::vector<std::string>& event_ids, absl::Time at) {
  absl::MutexLock lock(&mu_);
  return impl_->Transaction([&] { return impl_->PurgeLocked(event_ids, at); });
}

absl::StatusOr<std::vector<std::string>> SqliteEventStore::PurgedIds() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT event_id FROM purged");
  if (!q.ok()) return impl_->Error("load purged ids");
  std::vector<std::string> ids;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) ids.push_back(q.Bytes(0));  // whole, NUL bytes and all
  if (rc != SQLITE_DONE) return impl_->Error("load purged ids");
  return ids;
}

absl::StatusOr<NextOffsets> SqliteEventStore::LoadOffsets() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT topic, partition, next_offset FROM offsets");
  if (!q.ok()) return impl_->Error("load offsets");
  NextOffsets offsets;
  while (q.Step() == SQLITE_ROW) offsets[TopicPartition{q.Bytes(0), static_cast<int32_t>(q.Int(1))}] = q.Int(2);
  return offsets;
}

absl::StatusOr<ReplayReport> SqliteEventStore::ForEachEvent(
    const std::function<absl::Status(absl::string_view bytes, absl::Time received_at)>& visit) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT event_id, received_at_us, body, log_partition, log_offset, checksum FROM events");
  if (!q.ok()) return impl_->Error("read events");
  ReplayReport report;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    const absl::string_view id = q.View(0);
    const int64_t at = q.Int(1);
    const absl::string_view body = q.View(2);
    const int32_t partition = static_cast<int32_t>(q.Int(3));
    const int64_t offset = q.Int(4);
    const absl::string_view held = q.View(5);
    const std::optional<Sealer::Seal> expected = impl_->sealer->Compute(id, at, partition, offset, body);
    if (!expected.has_value()) return absl::InternalError("event store: cannot compute a checksum (OpenSSL)");
    if (q.IsNull(5) || held.size() != expected->size() ||
        CRYPTO_memcmp(held.data(), expected->data(), expected->size()) != 0) {
      report.damaged.push_back({.event_id = std::string(id),
                                .partition = partition,
                                .offset = offset,
                                .problem = q.IsNull(5) ? "no checksum" : "checksum does not match (altered or damaged)"});
      continue;
    }
    if (absl::Status read = visit(body, absl::FromUnixMicros(at)); !read.ok()) {
      report.damaged.push_back({.event_id = std::string(id),
                                .partition = partition,
                                .offset = offset,
                                .problem = std::string(read.message())});
      continue;
    }
    ++report.events;
  }
  if (rc != SQLITE_DONE) return impl_->Error("read events");
  return report;
}

absl::Status SqliteEventStore::Quarantine(const std::vector<DamagedEvent>& damaged, absl::Time at) {
  absl::MutexLock lock(&mu_);
  Impl& d = *impl_;
  d.committed_offsets.clear();  // it rewinds partitions: the next commit writes every offset
  return d.Transaction([&]() -> absl::Status {
    Statement keep(d.db,
                   "INSERT INTO quarantine SELECT event_id, ?2, log_partition, log_offset, ?3, body FROM events "
                   "WHERE event_id = ?1");
    Statement remove(d.db, "DELETE FROM events WHERE event_id = ?1");
    Statement rewind(d.db,
                     "INSERT INTO offsets VALUES (?1, ?2, ?3) ON CONFLICT (topic, partition) DO UPDATE SET "
                     "next_offset = min(next_offset, excluded.next_offset)");
    if (!keep.ok() || !remove.ok() || !rewind.ok()) return d.Error("prepare quarantine");
    for (const DamagedEvent& e : damaged) {
      keep.Reset().Bind(1, e.event_id).Bind(2, absl::ToUnixMicros(at)).Bind(3, e.problem);
      remove.Reset().Bind(1, e.event_id);
      if (keep.Step() != SQLITE_DONE || remove.Step() != SQLITE_DONE) return d.Error("quarantine");
      if (e.partition >= 0 && e.offset >= 0) {
        rewind.Reset().Bind(1, kafka::kEventsTopic).Bind(2, e.partition).Bind(3, e.offset);
        if (rewind.Step() != SQLITE_DONE) return d.Error("rewind offset");
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<std::string>> SqliteEventStore::Body(const std::string& event_id) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT body FROM events WHERE event_id = ?1");
  if (!q.ok()) return impl_->Error("read event");
  q.Bind(1, event_id);
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return impl_->Error("read event");
  return std::optional<std::string>(q.Bytes(0));
}

absl::Status SqliteEventStore::ForEachAlertRecord(const std::function<void(const StoredAlertRecord&)>& visit) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db,
              "SELECT epoch, partition, offset, body FROM alert_records ORDER BY epoch, partition, offset");
  if (!q.ok()) return impl_->Error("read alert records");
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) {
    visit(StoredAlertRecord{q.Int(0), static_cast<int32_t>(q.Int(1)), q.Int(2), q.Bytes(3)});
  }
  return rc == SQLITE_DONE ? absl::OkStatus() : impl_->Error("read alert records");
}

absl::StatusOr<int64_t> SqliteEventStore::AlertsEpoch() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT value FROM meta WHERE key = 'alerts_epoch'");
  if (!q.ok()) return impl_->Error("read alerts epoch");
  const int rc = q.Step();
  if (rc == SQLITE_DONE) return 0;
  if (rc != SQLITE_ROW) return impl_->Error("read alerts epoch");
  int64_t epoch = 0;
  if (!absl::SimpleAtoi(q.Bytes(0), &epoch)) return absl::DataLossError("event store: alerts_epoch is not a number");
  return epoch;
}

absl::StatusOr<int64_t> SqliteEventStore::BeginAlertsEpoch() {
  absl::StatusOr<int64_t> epoch = AlertsEpoch();
  if (!epoch.ok()) return epoch.status();
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "INSERT OR REPLACE INTO meta VALUES ('alerts_epoch', ?1)");
  if (!q.ok()) return impl_->Error("prepare alerts epoch");
  q.Bind(1, absl::StrCat(*epoch + 1));
  if (q.Step() != SQLITE_DONE) return impl_->Error("record alerts epoch");
  return *epoch + 1;
}

absl::StatusOr<int64_t> SqliteEventStore::CountEvents() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT count(*) FROM events");
  if (!q.ok() || q.Step() != SQLITE_ROW) return impl_->Error("count events");
  return q.Int(0);
}

absl::Status SqliteEventStore::RecordGap(const LogGap& gap) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db,
              "INSERT OR IGNORE INTO log_gaps (topic, partition, from_offset, to_offset, detected_at_us) "
              "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!q.ok()) return impl_->Error("prepare gap");
  q.Bind(1, gap.tp.topic).Bind(2, gap.tp.partition).Bind(3, gap.from).Bind(4, gap.to).Bind(5, absl::ToUnixMicros(gap.detected_at));
  return q.Step() == SQLITE_DONE ? absl::OkStatus() : impl_->Error("record gap");
}

absl::Status SqliteEventStore::AcceptGap(const TopicPartition& tp, int64_t from, const std::string& by, absl::Time at) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db,
              "UPDATE log_gaps SET accepted_at_us = ?4, accepted_by = ?5 WHERE topic = ?1 AND partition = ?2 "
              "AND from_offset = ?3 AND accepted_at_us IS NULL");
  if (!q.ok()) return impl_->Error("prepare gap decision");
  q.Bind(1, tp.topic).Bind(2, tp.partition).Bind(3, from).Bind(4, absl::ToUnixMicros(at)).Bind(5, by);
  if (q.Step() != SQLITE_DONE) return impl_->Error("accept gap");
  if (sqlite3_changes(impl_->db) == 0) {
    return absl::NotFoundError(absl::StrCat("no open gap in ", tp.topic, "/", tp.partition, " from offset ", from));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LogGap>> SqliteEventStore::Gaps() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db,
              "SELECT topic, partition, from_offset, to_offset, detected_at_us, accepted_at_us, accepted_by FROM "
              "log_gaps ORDER BY detected_at_us, topic, partition, from_offset");
  if (!q.ok()) return impl_->Error("read gaps");
  std::vector<LogGap> gaps;
  while (q.Step() == SQLITE_ROW) {
    LogGap g{.tp = {q.Bytes(0), static_cast<int32_t>(q.Int(1))},
             .from = q.Int(2),
             .to = q.Int(3),
             .detected_at = absl::FromUnixMicros(q.Int(4)),
             .accepted_by = q.Bytes(6)};
    if (!q.IsNull(5)) g.accepted_at = absl::FromUnixMicros(q.Int(5));
    gaps.push_back(std::move(g));
  }
  return gaps;
}

absl::StatusOr<std::vector<StoredRulesRevision>> SqliteEventStore::RulesRevisions() {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "SELECT revision, adopted_at_us, source, text FROM rules_revisions ORDER BY revision");
  if (!q.ok()) return impl_->Error("read rules history");
  std::vector<StoredRulesRevision> out;
  while (q.Step() == SQLITE_ROW) {
    out.push_back({.revision = q.Int(0), .adopted_at = absl::FromUnixMicros(q.Int(1)), .source = q.Bytes(2), .text = q.Bytes(3)});
  }
  return out;
}

absl::Status SqliteEventStore::AppendRulesRevision(const StoredRulesRevision& revision) {
  absl::MutexLock lock(&mu_);
  Statement q(impl_->db, "INSERT INTO rules_revisions VALUES (?1, ?2, ?3, ?4)");
  if (!q.ok()) return impl_->Error("prepare rules history");
  q.Bind(1, revision.revision).Bind(2, absl::ToUnixMicros(revision.adopted_at)).Bind(3, revision.source).Bind(4, revision.text);
  if (q.Step() != SQLITE_DONE) return impl_->Error(absl::StrCat("record rules revision ", revision.revision));
  return absl::OkStatus();
}

}  // namespace homeward::aggregator
