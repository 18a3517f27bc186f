// File: notifier.h
//
// "Something changed" told to listeners on a thread of its own, so whoever tells it never waits
// for them. The aggregator's ingest thread tells the alert feed's listeners (each duty team's
// stream writes the update to the access log and to gRPC; the webhooks wake) that an alert was
// raised or read back, and goes straight on to the next batch: with several subscribers, their
// writes would otherwise sit between one batch and the next.
//
// Tellings that arrive while the listeners run are folded into one more round, so a listener
// must look for everything new when called (as the feed's readers do, from their cursors).
//
// Thread safety: safe for concurrent use. Listeners run one at a time, on the notifier's thread.
#ifndef HOMEWARD_COMMON_NOTIFIER_H_
#define HOMEWARD_COMMON_NOTIFIER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace homeward {

class Notifier {
 public:
  Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;
  // Finishes the round in progress, if any; no listener is called after.
  ~Notifier();

  // Returns an id for Unsubscribe.
  int Subscribe(std::function<void()> listener) ABSL_LOCKS_EXCLUDED(listeners_mu_);
  // Returns once the listener is not running and will not be called again. Never call it from
  // a listener.
  void Unsubscribe(int id) ABSL_LOCKS_EXCLUDED(listeners_mu_);
  // Every listener is called after this, at least once; returns at once.
  void Notify() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Run();
  bool Due() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return stop_ || told_ != delivered_; }

  absl::Mutex mu_;
  uint64_t told_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t delivered_ ABSL_GUARDED_BY(mu_) = 0;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;

  // Held while a round runs, so Unsubscribe waits for it.
  absl::Mutex listeners_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::map<int, std::function<void()>> listeners_ ABSL_GUARDED_BY(listeners_mu_);
  int next_id_ ABSL_GUARDED_BY(listeners_mu_) = 0;

  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace homeward

#endif  // HOMEWARD_COMMON_NOTIFIER_H_
