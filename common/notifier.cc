#include "common/notifier.h"

#include <utility>

namespace homeward {

Notifier::Notifier() : thread_([this] { Run(); }) {}

Notifier::~Notifier() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

int Notifier::Subscribe(std::function<void()> listener) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_[next_id_] = std::move(listener);
  return next_id_++;
}

void Notifier::Unsubscribe(int id) {
  absl::MutexLock lock(&listeners_mu_);
  listeners_.erase(id);
}

void Notifier::Notify() {
  absl::MutexLock lock(&mu_);
  ++told_;
}

void Notifier::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &Notifier::Due));
      if (stop_) return;
      delivered_ = told_;  // what is told from here on makes another round
    }
    absl::MutexLock lock(&listeners_mu_);
    for (auto& [id, listener] : listeners_) listener();
  }
}

}  // namespace homeward
