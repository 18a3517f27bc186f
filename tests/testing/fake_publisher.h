// File: fake_publisher.h
//
// An in-memory MessagePublisher: keeps what it accepts and can be told to fail.
#ifndef HOMEWARD_TESTS_TESTING_FAKE_PUBLISHER_H_
#define HOMEWARD_TESTS_TESTING_FAKE_PUBLISHER_H_

#include <functional>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/publisher.h"

namespace homeward::testing {

class FakePublisher final : public MessagePublisher {
 public:
  // Decides each message's fate; default: accept everything.
  std::function<absl::Status(const OutboundMessage&)> verdict = [](const OutboundMessage&) {
    return absl::OkStatus();
  };

  // MessagePublisher: reports synchronously, before returning.
  void PublishAsync(std::vector<OutboundMessage> messages, Done done) override {
    std::vector<absl::Status> out;
    {
      absl::MutexLock lock(&mu);
      ++calls;
      for (auto& m : messages) {
        absl::Status s = verdict(m);
        if (s.ok()) accepted.push_back(std::move(m));
        out.push_back(std::move(s));
      }
    }
    done(std::move(out));
  }

  absl::Mutex mu;
  std::vector<OutboundMessage> accepted;
  int calls = 0;
};

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_FAKE_PUBLISHER_H_
