#include "services/aggregator/webhooks/webhook_dispatcher.h"

#include <curl/curl.h>
#include <sqlite3.h>

#include <atomic>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/logging.h"

namespace homeward::aggregator {
namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Subscription positions, one row each, on a connection of its own (WAL allows it beside the
// aggregator's).
class CursorStore {
 public:
  ~CursorStore() { sqlite3_close(db_); }
  absl::Status Open(const std::string& path) {
    if (sqlite3_open(path.empty() ? ":memory:" : path.c_str(), &db_) != SQLITE_OK ||
        sqlite3_exec(db_,
                     "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS webhook_cursors "
                     "(subscription TEXT PRIMARY KEY, cursor TEXT NOT NULL)",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      return absl::InternalError(absl::StrCat("webhook positions: ", sqlite3_errmsg(db_)));
    }
    return absl::OkStatus();
  }
  std::string Load(const std::string& id) {
    absl::MutexLock lock(&mu_);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_, "SELECT cursor FROM webhook_cursors WHERE subscription = ?1", -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    std::string cursor;
    if (sqlite3_step(stmt) == SQLITE_ROW) cursor = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return cursor;
  }
  void Save(const std::string& id, const std::string& cursor) {
    absl::MutexLock lock(&mu_);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db_,
                       "INSERT INTO webhook_cursors VALUES (?1, ?2) ON CONFLICT (subscription) DO UPDATE SET "
                       "cursor = excluded.cursor",
                       -1, &stmt, nullptr);
    sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, cursor.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(stmt) != SQLITE_DONE) log::Error("webhook {}: cannot save position: {}", id, sqlite3_errmsg(db_));
    sqlite3_finalize(stmt);
  }

 private:
  absl::Mutex mu_;
  sqlite3* db_ = nullptr;
};

}  // namespace

struct WebhookDispatcher::Impl {
  AlertCoordinator& alerts;
  std::vector<WebhookSubscription> subscriptions;
  WebhookOptions options;
  CursorStore cursors;
  std::vector<std::thread> threads;
  std::vector<int> listeners;
  absl::Mutex mu;
  bool stop ABSL_GUARDED_BY(mu) = false;
  int64_t wakeups ABSL_GUARDED_BY(mu) = 0;  // bumped when the feed grows
  absl::CondVar grew;
  std::atomic<int64_t> delivered{0};
  std::atomic<int64_t> failed{0};

  Impl(AlertCoordinator& a, std::vector<WebhookSubscription> s, WebhookOptions o)
      : alerts(a), subscriptions(std::move(s)), options(o) {}

  // One POST; OK for a 2xx answer.
  absl::Status Post(CURL* curl, const WebhookSubscription& sub, const AlertUpdate& update) {
    v1::AlertUpdate message;
    *message.mutable_alert() = ToProto(update.alert);
    message.set_cursor(update.cursor);
    std::string body;
    google::protobuf::util::JsonPrintOptions json;
    json.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(message, &body, json);
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, absl::StrCat("Homeward-Alert-Id: ", update.alert.alert_id).c_str());
    headers = curl_slist_append(headers,
                                absl::StrCat("Idempotency-Key: ", update.alert.alert_id, "@", update.cursor).c_str());
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, sub.url.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(absl::ToInt64Milliseconds(options.request_timeout)));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) return absl::UnavailableError(curl_easy_strerror(rc));
    if (status < 200 || status >= 300) return absl::UnavailableError(absl::StrCat("HTTP ", status));
    return absl::OkStatus();
  }

  void Run(const WebhookSubscription& sub) {
    metrics::Metrics& m = options.metrics != nullptr ? *options.metrics : metrics::Discard();
    metrics::Counter& attempts =
        m.GetCounter("homeward_webhook_attempts_total", "Webhook POSTs made, by subscription", {{"webhook", sub.id}});
    metrics::Counter& failures = m.GetCounter("homeward_webhook_failures_total",
                                              "Webhook POSTs that failed (no answer, or not 2xx), by subscription",
                                              {{"webhook", sub.id}});
    metrics::Histogram& delivery =
        m.GetHistogram("homeward_alert_delivery_seconds",
                       "From an alert's latest change to its update being sent, by channel", metrics::DelayBuckets(),
                       {{"channel", "webhook"}});
    CURL* curl = curl_easy_init();
    absl::StatusOr<FeedCursor> saved = ParseCursor(cursors.Load(sub.id));
    if (!saved.ok()) {
      // Better every update again (each carries its idempotency key) than a silent gap.
      log::Error("webhook {}: saved position unreadable ({}); delivering from the start", sub.id,
                 saved.status().ToString());
    }
    FeedCursor cursor = saved.value_or(FeedCursor{});
    size_t scan_from = 0;
    absl::Duration backoff = options.initial_backoff;
    while (true) {
      int64_t seen;
      {
        absl::MutexLock lock(&mu);
        if (stop) break;
        seen = wakeups;
      }
      size_t scanned = scan_from;  // moves on only once the update is delivered
      const std::vector<AlertUpdate> next = alerts.FeedAfter(cursor, sub.filter, 1, scanned);
      if (next.empty()) {  // wait for the feed to grow
        scan_from = scanned;
        absl::MutexLock lock(&mu);
        if (!stop && wakeups == seen) grew.WaitWithTimeout(&mu, absl::Seconds(1));
        continue;
      }
      attempts.Increment();
      if (absl::Status s = Post(curl, sub, next[0]); !s.ok()) {
        ++failed;
        failures.Increment();
        log::Warn("webhook {}: delivering {} failed ({}); retrying in {}", sub.id, next[0].alert.alert_id, s.ToString(),
                  absl::FormatDuration(backoff));
        absl::MutexLock lock(&mu);
        if (!stop) grew.WaitWithTimeout(&mu, backoff);  // woken early only to stop
        backoff = std::min(backoff * 2, options.max_backoff);
        continue;
      }
      ++delivered;
      delivery.Observe(absl::ToDoubleSeconds(absl::Now() - LastChange(next[0].alert)));
      if (options.on_delivered) options.on_delivered(sub, next[0].alert);
      backoff = options.initial_backoff;
      scan_from = scanned;
      cursor = next[0].position;
      cursors.Save(sub.id, next[0].cursor);
    }
    curl_easy_cleanup(curl);
  }
};

WebhookDispatcher::WebhookDispatcher(AlertCoordinator& alerts, std::vector<WebhookSubscription> subscriptions,
                                     WebhookOptions options)
    : impl_(std::make_unique<Impl>(alerts, std::move(subscriptions), options)) {}

absl::Status WebhookDispatcher::Start() {
  if (absl::Status s = impl_->cursors.Open(impl_->options.cursor_path); !s.ok()) return s;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  impl_->listeners.push_back(impl_->alerts.Subscribe([impl = impl_.get()] {
    absl::MutexLock lock(&impl->mu);
    ++impl->wakeups;
    impl->grew.SignalAll();
  }));
  for (const WebhookSubscription& sub : impl_->subscriptions) {
    impl_->threads.emplace_back([impl = impl_.get(), &sub] { impl->Run(sub); });
  }
  return absl::OkStatus();
}

WebhookDispatcher::~WebhookDispatcher() {
  for (int id : impl_->listeners) impl_->alerts.Unsubscribe(id);
  {
    absl::MutexLock lock(&impl_->mu);
    impl_->stop = true;
    impl_->grew.SignalAll();
  }
  for (std::thread& t : impl_->threads) t.join();
}

int64_t WebhookDispatcher::delivered() const { return impl_->delivered; }
int64_t WebhookDispatcher::failed_attempts() const { return impl_->failed; }

absl::StatusOr<std::vector<WebhookSubscription>> ParseWebhooksFile(absl::string_view text) {
  absl::StatusOr<json::Document> doc = json::Document::Parse(text);
  if (!doc.ok() || !doc->root().is_array()) return absl::InvalidArgumentError("expected a list");
  std::vector<WebhookSubscription> subs;
  const std::vector<json::Value> entries = doc->root().Items();
  for (size_t i = 0; i < entries.size(); ++i) {
    const json::Value& e = entries[i];
    absl::StatusOr<std::string> id = e.String("id");
    absl::StatusOr<std::string> url = e.String("url");
    if (!id.ok() || !url.ok()) return absl::InvalidArgumentError(absl::StrCat("[", i, "]: needs \"id\" and \"url\" strings"));
    absl::StatusOr<std::string> team = e.StringOr("team", "");
    if (!team.ok()) return team.status();
    absl::StatusOr<std::string> authority = e.StringOr("authority", "");
    if (!authority.ok()) return authority.status();
    subs.push_back({.id = *id, .url = *url, .filter = {.team = *team, .authority = *authority}});
  }
  return subs;
}

absl::StatusOr<std::vector<WebhookSubscription>> LoadWebhooksFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadWholeFile(path, "webhooks file");
  if (!text.ok()) return text.status();
  auto subs = ParseWebhooksFile(*text);
  if (!subs.ok()) return absl::Status(subs.status().code(), absl::StrCat(path, ": ", subs.status().message()));
  return subs;
}

}  // namespace homeward::aggregator
