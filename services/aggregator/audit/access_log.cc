#include "services/aggregator/audit/access_log.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"

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
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, mac TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX IF NOT EXISTS access_log_child ON access_log (child_id, seq);
  CREATE INDEX IF NOT EXISTS access_log_subject ON access_log (subject, seq);
)sql";

constexpr char kColumns[] =
    "seq, at_us, subject, role, agency, authority, team, client, peer, action, method, child_id, detail, purpose, "
    "lawful_basis, outcome, prev_hash, hash, mac";

const std::string& Genesis() {
  static const auto* zero = new std::string(64, '0');
  return *zero;
}

// The text fields in column order (after seq and at_us).
std::vector<std::string*> TextFields(AccessEntry& e) {
  return {&e.subject, &e.role,     &e.agency,  &e.authority,    &e.team,    &e.client,    &e.peer,
          &e.action,  &e.method,   &e.child_id, &e.detail,     &e.purpose, &e.lawful_basis, &e.outcome,
          &e.prev_hash, &e.hash, &e.mac};
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
    if (field == &copy.hash || field == &copy.mac) continue;
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

AccessLog::AccessLog(std::unique_ptr<Db> db, std::string key, std::string log_id)
    : key_(std::move(key)), log_id_(std::move(log_id)), db_(std::move(db)) {}
AccessLog::~AccessLog() = default;

std::string AccessLog::Seal(absl::string_view text) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(text.data()),
       text.size(), out, &len);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(out), len));
}

namespace {

std::string AnchorText(const Anchor& a) {
  return absl::StrCat("homeward access-log anchor v1;", a.log_id.size(), ":", a.log_id, ";", a.seq, ";", a.hash, ";",
                      absl::ToUnixMicros(a.at));
}

bool SameHex(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool AccessLog::AnchorSealed(const Anchor& anchor) const { return SameHex(Seal(AnchorText(anchor)), anchor.mac); }

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& path, bool synchronous_full,
                                                           std::string key, std::string log_id) {
  if (key.size() < 32) return absl::InvalidArgumentError("access log: a key of at least 32 bytes is required");
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
  // A log from before seals: add the column, and seal what is there as it stands.
  bool has_mac = false;
  if (absl::Status s = db->Select("PRAGMA table_info(access_log)", [](sqlite3_stmt*) {},
                                  [&](sqlite3_stmt* stmt) {
                                    has_mac = has_mac || std::string(reinterpret_cast<const char*>(
                                                             sqlite3_column_text(stmt, 1))) == "mac";
                                  });
      !s.ok()) {
    return s;
  }
  std::unique_ptr<AccessLog> log(new AccessLog(std::move(db), std::move(key), std::move(log_id)));
  absl::MutexLock lock(&log->mu_);
  Db& d = *log->db_;
  if (!has_mac) {
    if (absl::Status s = d.Exec("ALTER TABLE access_log ADD COLUMN mac TEXT NOT NULL DEFAULT ''"); !s.ok()) return s;
  }
  std::vector<std::pair<int64_t, std::string>> unsealed;
  if (absl::Status s = d.Select(
          "SELECT seq, hash FROM access_log WHERE mac = '' ORDER BY seq", [](sqlite3_stmt*) {},
          [&](sqlite3_stmt* stmt) {
            unsealed.emplace_back(sqlite3_column_int64(stmt, 0), reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)));
          });
      !s.ok()) {
    return s;
  }
  if (!unsealed.empty()) {
    if (absl::Status s = d.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
    for (const auto& [seq, hash] : unsealed) {
      const std::string sql = absl::StrCat("UPDATE access_log SET mac = '", log->Seal(hash), "' WHERE seq = ", seq);
      if (absl::Status s = d.Exec(sql); !s.ok()) {
        d.Exec("ROLLBACK").IgnoreError();
        return s;
      }
    }
    if (absl::Status s = d.Exec("COMMIT"); !s.ok()) return s;
    log::Warn("access log: sealed {} entries written before entries were sealed, as they stood", unsealed.size());
  }
  const std::string insert = absl::StrCat("INSERT INTO access_log (", kColumns,
                                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                          "?15, ?16, ?17, ?18, ?19)");
  if (sqlite3_prepare_v2(d.db, insert.c_str(), -1, &d.insert, nullptr) != SQLITE_OK) return d.Error("prepare");
  log->last_hash_ = Genesis();
  absl::Status s = d.Select(
      "SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1", [](sqlite3_stmt*) {},
      [&](sqlite3_stmt* stmt) {
        log->last_seq_ = sqlite3_column_int64(stmt, 0);
        log->last_hash_ = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      });
  if (!s.ok()) return s;
  return log;
}

Anchor AccessLog::Head() const {
  absl::MutexLock lock(&mu_);
  Anchor a{.log_id = log_id_, .seq = last_seq_, .hash = last_seq_ == 0 ? Genesis() : last_hash_, .at = absl::Now()};
  a.at = absl::FromUnixMicros(absl::ToUnixMicros(a.at));
  a.mac = Seal(AnchorText(a));
  return a;
}

absl::StatusOr<AccessEntry> AccessLog::Append(AccessEntry entry) {
  absl::MutexLock lock(&mu_);
  entry.seq = last_seq_ + 1;
  entry.at = absl::FromUnixMicros(absl::ToUnixMicros(entry.at));  // what the file keeps
  entry.prev_hash = last_hash_;
  entry.hash = AccessEntryHash(entry);
  entry.mac = Seal(entry.hash);
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

absl::StatusOr<ChainCheck> AccessLog::Verify(const std::vector<Anchor>& anchors) const {
  ChainCheck check;
  const auto broken = [&](int64_t seq, std::string problem) {
    if (check.breaks.size() < ChainCheck::kMaxBreaks) {
      check.breaks.push_back({seq, absl::StrCat("entry ", seq, ": ", std::move(problem))});
    } else {
      ++check.more_breaks;
    }
  };
  // The anchors this log's key sealed; the rest are reported.
  std::map<int64_t, const Anchor*> vouched;
  for (const Anchor& a : anchors) {
    if (a.log_id != log_id_) continue;
    ++check.anchors_checked;
    if (!AnchorSealed(a)) {
      broken(a.seq, absl::StrCat("an anchor of ", absl::FormatTime(absl::RFC3339_sec, a.at, absl::UTCTimeZone()),
                                 " is not sealed with this hub's key (forged or altered)"));
      continue;
    }
    vouched[a.seq] = &a;
    check.anchored_seq = std::max(check.anchored_seq, a.seq);
  }
  std::string prev = Genesis();
  int64_t expected_seq = 1;
  absl::MutexLock lock(&mu_);
  absl::Status s = db_->Select(
      absl::StrCat("SELECT ", kColumns, " FROM access_log ORDER BY seq"), [](sqlite3_stmt*) {},
      [&](sqlite3_stmt* stmt) {
        const AccessEntry e = ReadRow(stmt);
        ++check.entries;
        if (e.seq > expected_seq) {
          broken(expected_seq, e.seq == expected_seq + 1 ? "missing (deleted)"
                                                         : absl::StrCat("missing, with those up to ", e.seq - 1));
        }
        if (e.prev_hash != prev) broken(e.seq, "does not follow its predecessor (prev_hash differs)");
        if (AccessEntryHash(e) != e.hash) broken(e.seq, "content does not match its hash (altered)");
        if (!SameHex(Seal(e.hash), e.mac)) broken(e.seq, "its seal does not verify (rewritten, or the chain re-hashed)");
        if (const auto a = vouched.find(e.seq); a != vouched.end() && a->second->hash != e.hash) {
          broken(e.seq, absl::StrCat("differs from the anchor published at ",
                                     absl::FormatTime(absl::RFC3339_sec, a->second->at, absl::UTCTimeZone())));
        }
        prev = e.hash;
        check.head_hash = e.hash;
        expected_seq = e.seq + 1;
      });
  if (!s.ok()) return s;
  const int64_t last = expected_seq - 1;
  if (check.anchored_seq > last) {
    broken(last + 1, absl::StrCat("entries ", last + 1, "..", check.anchored_seq,
                                  " are missing: an anchor vouches for them (cut off the end)"));
  } else if (last_seq_ > last) {
    broken(last + 1, absl::StrCat("entries from ", last + 1, " are missing (this process wrote up to ", last_seq_, ")"));
  }
  std::stable_sort(check.breaks.begin(), check.breaks.end(),
                   [](const ChainBreak& a, const ChainBreak& b) { return a.seq < b.seq; });
  check.intact = check.breaks.empty() && check.more_breaks == 0;
  if (!check.intact) {
    check.first_bad_seq = check.breaks.front().seq;
    check.problem = check.breaks.front().problem;
  }
  return check;
}

}  // namespace homeward::aggregator
