// File: webhook_dispatcher.h
//
// Delivers alert updates to duty teams' systems that take webhooks: an HTTP POST (libcurl) of
// the update as JSON, per subscription (URL + team/authority filter), in feed order. A failed
// POST (no answer, or not 2xx) is retried with backoff until it succeeds; each subscription's
// position is saved after every success, so a restart neither skips nor repeats a delivery.
// Each POST carries "Idempotency-Key: <alert id>@<cursor>" (and "Homeward-Alert-Id"), so a
// receiver that saw a delivery whose answer was lost can drop the repeat.
//
// Thread safety: one thread per subscription, started by Start(), stopped by the destructor.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_WEBHOOKS_WEBHOOK_DISPATCHER_H_
#define HOMEWARD_SERVICES_AGGREGATOR_WEBHOOKS_WEBHOOK_DISPATCHER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "services/aggregator/alerts/alert_coordinator.h"

namespace homeward::aggregator {

struct WebhookSubscription {
  std::string id;   // names the subscription's saved position
  std::string url;  // http(s)://...
  AlertFilter filter;
};

struct WebhookOptions {
  std::string cursor_path;  // where positions are saved (a SQLite file); "" = memory only
  absl::Duration initial_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(30);
  absl::Duration request_timeout = absl::Seconds(10);
  // Called after each delivery the receiver accepted (the aggregator puts it on the access log:
  // a disclosure to the subscriber). Called from the subscription's thread.
  std::function<void(const WebhookSubscription&, const Alert&)> on_delivered;
  // Where attempts, failures (homeward_webhook_{attempts,failures}_total{webhook}) and delivery
  // delays (homeward_alert_delivery_seconds{channel="webhook"}) are counted; null: nowhere.
  metrics::Metrics* metrics = nullptr;
};

// Reads config/webhooks.json: [{"id", "url", "team"?, "authority"?}]. INVALID_ARGUMENT names
// the entry and field (and, for Load, the path).
absl::StatusOr<std::vector<WebhookSubscription>> ParseWebhooksFile(absl::string_view text);
absl::StatusOr<std::vector<WebhookSubscription>> LoadWebhooksFile(const std::string& path);

class WebhookDispatcher {
 public:
  // `alerts` must outlive the dispatcher.
  WebhookDispatcher(AlertCoordinator& alerts, std::vector<WebhookSubscription> subscriptions, WebhookOptions options);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // INTERNAL if the position store cannot be opened.
  absl::Status Start();

  // Deliveries made (2xx answers) and attempts that failed, over all subscriptions.
  int64_t delivered() const;
  int64_t failed_attempts() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_WEBHOOKS_WEBHOOK_DISPATCHER_H_
