#include "services/aggregator/store/event_store.h"

#include <sqlite3.h>

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace homeward::aggregator {
namespace {

constexpr char kSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    received_at_us INTEGER NOT NULL,
    body BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS alert_records (
    partition INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (partition, offset)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS purged (
    event_id TEXT PRIMARY KEY,
    purged_at_us INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  INSERT OR IGNORE INTO meta VALUES ('schema_version', '1');
)sql";

}  // namespace

struct SqliteEventStore::Impl {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert_event = nullptr;
  sqlite3_stmt* upsert_offset = nullptr;
  sqlite3_stmt* insert_alert = nullptr;

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
  ~Impl() {
    sqlite3_finalize(insert_event);
    sqlite3_finalize(upsert_offset);
    sqlite3_finalize(insert_alert);
    sqlite3_close(db);
  }
};

SqliteEventStore::SqliteEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteEventStore::~SqliteEventStore() = default;

absl::StatusOr<std::unique_ptr<SqliteEventStore>> SqliteEventStore::Open(const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
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
  if (absl::Status s = impl->Exec(kSchema); !s.ok()) return s;
  if (sqlite3_prepare_v2(impl->db, "INSERT OR IGNORE INTO events SELECT ?1, ?2, ?3 WHERE NOT EXISTS "
                         "(SELECT 1 FROM purged WHERE event_id = ?1)", -1, &impl->insert_event,
                         nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(impl->db,
                         "INSERT INTO offsets VALUES (?1, ?2, ?3) ON CONFLICT (topic, partition) "
                         "DO UPDATE SET next_offset = excluded.next_offset",
                         -1, &impl->upsert_offset, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(impl->db, "INSERT OR IGNORE INTO alert_records VALUES (?1, ?2, ?3)", -1,
                         &impl->insert_alert, nullptr) != SQLITE_OK) {
    return impl->Error("prepare");
  }
  return std::unique_ptr<SqliteEventStore>(new SqliteEventStore(std::move(impl)));
}

absl::Status SqliteEventStore::Commit(const std::vector<StoredEvent>& events,
                                      const std::vector<StoredAlertRecord>& alert_records, const NextOffsets& offsets) {
  absl::MutexLock lock(&mu_);
  Impl& d = *impl_;
  if (absl::Status s = d.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](absl::string_view what) {
    absl::Status s = d.Error(what);
    d.Exec("ROLLBACK").IgnoreError();  // the error that matters is `s`
    return s;
  };
  for (const StoredEvent& e : events) {
    sqlite3_reset(d.insert_event);
    sqlite3_bind_text(d.insert_event, 1, e.event_id.data(), static_cast<int>(e.event_id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(d.insert_event, 2, absl::ToUnixMicros(e.received_at));
    sqlite3_bind_blob(d.insert_event, 3, e.bytes.data(), static_cast<int>(e.bytes.size()), SQLITE_STATIC);
    if (sqlite3_step(d.insert_event) != SQLITE_DONE) return fail("insert event");
  }
  for (const StoredAlertRecord& r : alert_records) {
    sqlite3_reset(d.insert_alert);
    sqlite3_bind_int(d.insert_alert, 1, r.partition);
    sqlite3_bind_int64(d.insert_alert, 2, r.offset);
    sqlite3_bind_blob(d.insert_alert, 3, r.bytes.data(), static_cast<int>(r.bytes.size()), SQLITE_STATIC);
    if (sqlite3_step(d.insert_alert) != SQLITE_DONE) return fail("insert alert record");
  }
  for (const auto& [tp, next] : offsets) {
    sqlite3_reset(d.upsert_offset);
    sqlite3_bind_text(d.upsert_offset, 1, tp.topic.data(), static_cast<int>(tp.topic.size()), SQLITE_STATIC);
    sqlite3_bind_int(d.upsert_offset, 2, tp.partition);
    sqlite3_bind_int64(d.upsert_offset, 3, next);
    if (sqlite3_step(d.upsert_offset) != SQLITE_DONE) return fail("store offset");
  }
  return d.Exec("COMMIT");
}

absl::Status SqliteEventStore::Purge(const std::vector<std::string>& event_ids, absl::Time at) {
  absl::MutexLock lock(&mu_);
  Impl& d = *impl_;
  sqlite3_stmt* remove = nullptr;
  sqlite3_stmt* remember = nullptr;
  auto done = [&](absl::Status s) {
    sqlite3_finalize(remove);
    sqlite3_finalize(remember);
    if (!s.ok()) d.Exec("ROLLBACK").IgnoreError();  // the error that matters is `s`
    return s;
  };
  if (absl::Status s = d.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  if (sqlite3_prepare_v2(d.db, "DELETE FROM events WHERE event_id = ?1", -1, &remove, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(d.db, "INSERT OR IGNORE INTO purged VALUES (?1, ?2)", -1, &remember, nullptr) != SQLITE_OK) {
    return done(d.Error("prepare purge"));
  }
  for (const std::string& id : event_ids) {
    for (sqlite3_stmt* stmt : {remove, remember}) {
      sqlite3_reset(stmt);
      sqlite3_bind_text(stmt, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    }
    sqlite3_bind_int64(remember, 2, absl::ToUnixMicros(at));
    if (sqlite3_step(remove) != SQLITE_DONE || sqlite3_step(remember) != SQLITE_DONE) return done(d.Error("purge"));
  }
  return done(d.Exec("COMMIT"));
}

absl::StatusOr<std::vector<std::string>> SqliteEventStore::PurgedIds() {
  absl::MutexLock lock(&mu_);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT event_id FROM purged", -1, &stmt, nullptr) != SQLITE_OK) {
    return impl_->Error("load purged ids");
  }
  std::vector<std::string> ids;
  while (sqlite3_step(stmt) == SQLITE_ROW) ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  return ids;
}

absl::StatusOr<NextOffsets> SqliteEventStore::LoadOffsets() {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT topic, partition, next_offset FROM offsets", -1, &stmt, nullptr) != SQLITE_OK) {
    return impl_->Error("load offsets");
  }
  NextOffsets offsets;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const auto* topic = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    offsets[TopicPartition{topic, sqlite3_column_int(stmt, 1)}] = sqlite3_column_int64(stmt, 2);
  }
  sqlite3_finalize(stmt);
  return offsets;
}

absl::Status SqliteEventStore::ForEachEvent(
    const std::function<void(absl::string_view bytes, absl::Time received_at)>& visit) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT body, received_at_us FROM events", -1, &stmt, nullptr) != SQLITE_OK) {
    return impl_->Error("read events");
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
    visit(absl::string_view(data, static_cast<size_t>(sqlite3_column_bytes(stmt, 0))),
          absl::FromUnixMicros(sqlite3_column_int64(stmt, 1)));
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? absl::OkStatus() : impl_->Error("read events");
}

absl::Status SqliteEventStore::ForEachAlertRecord(const std::function<void(const StoredAlertRecord&)>& visit) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT partition, offset, body FROM alert_records ORDER BY partition, offset", -1,
                         &stmt, nullptr) != SQLITE_OK) {
    return impl_->Error("read alert records");
  }
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, 2));
    visit(StoredAlertRecord{sqlite3_column_int(stmt, 0), sqlite3_column_int64(stmt, 1),
                            std::string(data, static_cast<size_t>(sqlite3_column_bytes(stmt, 2)))});
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE ? absl::OkStatus() : impl_->Error("read alert records");
}

absl::StatusOr<int64_t> SqliteEventStore::CountEvents() {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(impl_->db, "SELECT count(*) FROM events", -1, &stmt, nullptr) != SQLITE_OK) {
    return impl_->Error("count events");
  }
  sqlite3_step(stmt);
  const int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

}  // namespace homeward::aggregator
