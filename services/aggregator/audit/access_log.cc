#include "services/aggregator/audit/access_log.h"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <filesystem>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace homeward::aggregator {
namespace {

constexpr char kSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS access_log (
    seq INTEGER PRIMARY KEY,
    at_us INTEGER NOT NULL,
    subject TEXT NOT NULL, role TEXT NOT NULL, agency TEXT NOT NULL, authority TEXT NOT NULL,
    team TEXT NOT NULL, client TEXT NOT NULL, peer TEXT NOT NULL,
    action TEXT NOT NULL, method TEXT NOT NULL, child_id TEXT NOT NULL, detail TEXT NOT NULL,
    purpose TEXT NOT NULL, lawful_basis TEXT NOT NULL, outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS access_log_child ON access_log (child_id, seq);
  CREATE INDEX IF NOT EXISTS access_log_subject ON access_log (subject, seq);
)sql";

constexpr char kColumns[] =
    "seq, at_us, subject, role, agency, authority, team, client, peer, action, method, child_id, detail, purpose, "
    "lawful_basis, outcome, prev_hash, hash";

const std::string& Genesis() {
  static const auto* zero = new std::string(64, '0');
  return *zero;
}

// The text fields in column order (after seq and at_us).
std::vector<std::string*> TextFields(AccessEntry& e) {
  return {&e.subject, &e.role,   &e.agency,  &e.authority, &e.team,         &e.client,  &e.peer,      &e.action,
          &e.method,  &e.child_id, &e.detail, &e.purpose,  &e.lawful_basis, &e.outcome, &e.prev_hash, &e.hash};
}

AccessEntry ReadRow(sqlite3_stmt* stmt) {
  AccessEntry e;
  e.seq = sqlite3_column_int64(stmt, 0);
  e.at = absl::FromUnixMicros(sqlite3_column_int64(stmt, 1));
  int column = 2;
  for (std::string* field : TextFields(e)) {
    const auto* text = sqlite3_column_text(stmt, column);
    field->assign(text != nullptr ? reinterpret_cast<const char*>(text) : "",
                  static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    ++column;
  }
  return e;
}

}  // namespace

std::string AccessEntryHash(const AccessEntry& entry) {
  // Canonical form: every field length-prefixed, so no two entries encode alike.
  AccessEntry copy = entry;
  std::string canonical = absl::StrCat(copy.seq, ";", absl::ToUnixMicros(copy.at), ";");
  for (std::string* field : TextFields(copy)) {
    if (field == &copy.hash) continue;
    absl::StrAppend(&canonical, field->size(), ":", *field, ";");
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), len));
}

struct AccessLog::Db {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;

  absl::Status Error(absl::string_view what) const {
    return absl::InternalError(absl::StrCat("access log: ", what, ": ", sqlite3_errmsg(db)));
  }
  absl::Status Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      absl::Status s = absl::InternalError(absl::StrCat("access log: ", err != nullptr ? err : "?"));
      sqlite3_free(err);
      return s;
    }
    return absl::OkStatus();
  }
  // Runs `sql` (with `bind` applied) and calls `row` for each result row.
  template <typename Bind, typename Row>
  absl::Status Select(const std::string& sql, Bind bind, Row row) const {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return Error("prepare");
    bind(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? absl::OkStatus() : Error("select");
  }
  ~Db() {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
};

AccessLog::AccessLog(std::unique_ptr<Db> db) : db_(std::move(db)) {}
AccessLog::~AccessLog() = default;

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path, bool synchronous_full) {
  auto db = std::make_unique<Db>();
  if (!path.empty()) {
    std::error_code ec;  // a missing directory is created; a failure shows up in the open below
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  }
  const std::string file = path.empty() ? ":memory:" : path;
  if (sqlite3_open_v2(file.c_str(), &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return db->Error(absl::StrCat("open ", file));
  }
  if (absl::Status s = db->Exec(absl::StrCat("PRAGMA journal_mode=WAL; PRAGMA synchronous=",
                                             synchronous_full ? "FULL" : "NORMAL", ";", kSchema));
      !s.ok()) {
    return s;
  }
  const std::string insert = absl::StrCat("INSERT INTO access_log (", kColumns,
                                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                          "?15, ?16, ?17, ?18)");
  if (sqlite3_prepare_v2(db->db, insert.c_str(), -1, &db->insert, nullptr) != SQLITE_OK) return db->Error("prepare");
  std::unique_ptr<AccessLog> log(new AccessLog(std::move(db)));
  absl::MutexLock lock(&log->mu_);
  log->last_hash_ = Genesis();
  absl::Status s = log->db_->Select(
      "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", [](sqlite3_stmt*) {},
      [&](sqlite3_stmt* stmt) {
        log->last_seq_ = sqlite3_column_int64(stmt, 0);
        log->last_hash_ = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      });
  if (!s.ok()) return s;
  return log;
}

absl::StatusOr<AccessEntry> AccessLog::Append(AccessEntry entry) {
  absl::MutexLock lock(&mu_);
  entry.seq = last_seq_ + 1;
  entry.at = absl::FromUnixMicros(absl::ToUnixMicros(entry.at));  // what the file keeps
  entry.prev_hash = last_hash_;
  entry.hash = AccessEntryHash(entry);
  sqlite3_stmt* stmt = db_->insert;
  sqlite3_reset(stmt);
  sqlite3_bind_int64(stmt, 1, entry.seq);
  sqlite3_bind_int64(stmt, 2, absl::ToUnixMicros(entry.at));
  int column = 3;
  for (std::string* field : TextFields(entry)) {
    sqlite3_bind_text(stmt, column++, field->data(), static_cast<int>(field->size()), SQLITE_TRANSIENT);
  }
  if (sqlite3_step(stmt) != SQLITE_DONE) return db_->Error("append");
  last_seq_ = entry.seq;
  last_hash_ = entry.hash;
  return entry;
}

absl::StatusOr<std::vector<AccessEntry>> AccessLog::Query(const AccessQuery& q) const {
  std::string sql = absl::StrCat("SELECT ", kColumns, " FROM access_log WHERE seq > ?1 AND at_us >= ?2 AND at_us <= ?3");
  if (!q.subject.empty()) absl::StrAppend(&sql, " AND subject = ?4");
  if (!q.child_ids.empty()) {
    absl::StrAppend(&sql, " AND child_id IN (");
    for (size_t i = 0; i < q.child_ids.size(); ++i) absl::StrAppend(&sql, i == 0 ? "" : ", ", "?", 5 + i);
    absl::StrAppend(&sql, ")");
  }
  absl::StrAppend(&sql, " ORDER BY seq LIMIT ", std::max(1, std::min(q.limit, 10000)));
  const auto micros = [](absl::Time t) {
    if (t == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
    if (t == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
    return absl::ToUnixMicros(t);
  };
  std::vector<AccessEntry> out;
  absl::MutexLock lock(&mu_);
  absl::Status s = db_->Select(
      sql,
      [&](sqlite3_stmt* stmt) {
        sqlite3_bind_int64(stmt, 1, q.after_seq);
        sqlite3_bind_int64(stmt, 2, micros(q.from));
        sqlite3_bind_int64(stmt, 3, micros(q.to));
        if (!q.subject.empty()) sqlite3_bind_text(stmt, 4, q.subject.c_str(), -1, SQLITE_TRANSIENT);
        for (size_t i = 0; i < q.child_ids.size(); ++i) {
          sqlite3_bind_text(stmt, static_cast<int>(5 + i), q.child_ids[i].c_str(), -1, SQLITE_TRANSIENT);
        }
      },
      [&](sqlite3_stmt* stmt) { out.push_back(ReadRow(stmt)); });
  if (!s.ok()) return s;
  return out;
}

absl::StatusOr<ChainCheck> AccessLog::Verify() const {
  ChainCheck check;
  std::string prev = Genesis();
  int64_t expected_seq = 1;
  absl::MutexLock lock(&mu_);
  absl::Status s = db_->Select(
      absl::StrCat("SELECT ", kColumns, " FROM access_log ORDER BY seq"), [](sqlite3_stmt*) {},
      [&](sqlite3_stmt* stmt) {
        const AccessEntry e = ReadRow(stmt);
        ++check.entries;
        if (!check.intact) return;
        std::string problem;
        if (e.seq != expected_seq) {
          problem = absl::StrCat("entry ", expected_seq, " is missing");
        } else if (e.prev_hash != prev) {
          problem = "does not follow its predecessor (prev_hash differs)";
        } else if (AccessEntryHash(e) != e.hash) {
          problem = "content does not match its hash (altered)";
        }
        if (!problem.empty()) {
          check.intact = false;
          check.first_bad_seq = expected_seq;
          check.problem = absl::StrCat("entry ", expected_seq, ": ", problem);
        }
        prev = e.hash;
        check.head_hash = e.hash;
        expected_seq = e.seq + 1;
      });
  if (!s.ok()) return s;
  if (check.intact && last_seq_ > expected_seq - 1) {
    // The file lost entries this process wrote (cut off at the end).
    check.intact = false;
    check.first_bad_seq = expected_seq;
    check.problem = absl::StrCat("entries from ", expected_seq, " are missing (this process wrote up to ", last_seq_, ")");
  }
  return check;
}

}  // namespace homeward::aggregator
