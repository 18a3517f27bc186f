// File: access_gate.h
//
// What every aggregator handler does before and after it discloses anything: admit the caller
// (authenticated, role allowed, purpose and lawful basis given), check they may see this child,
// and put the access, or the refusal, on the access log. A disclosure that cannot be logged is
// not made: handlers answer only after Record() succeeds.
//
// Thread safety: safe from any thread.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCESS_GATE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCESS_GATE_H_

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/metrics/metrics.h"
#include "common/security/authenticator.h"
#include "services/aggregator/audit/access_log.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/philomena.h"

namespace homeward::aggregator {

class AccessGate {
 public:
  // Every reference must outlive the gate. `home_authority`: see ChildAuthorities. Each entry
  // of the access log is counted in `metrics` (homeward_access_decisions_total{action, outcome}).
  AccessGate(const security::Authenticator& authenticator, AccessLog& log, const ChronologyStore& store,
             std::string home_authority, const Clock& clock, metrics::Metrics& metrics = metrics::Discard())
      : authenticator_(authenticator), log_(log), store_(store), home_authority_(std::move(home_authority)),
        clock_(clock), metrics_(metrics) {}

  // The admitted caller, or the refusal (already logged).
  absl::StatusOr<security::Caller> Admit(const grpc::ServerContextBase& context, access::Action action,
                                         absl::string_view method);

  // Who is calling (not logged): for handlers whose action depends on the role.
  absl::StatusOr<access::Principal> Who(const grpc::ServerContextBase& context) const {
    return authenticator_.Authenticate(context);
  }

  // The caller as admitted for `action` (its purpose and lawful basis checked if the action
  // needs them), not logged: for a handler that discloses more to callers who qualify for more.
  absl::StatusOr<security::Caller> AdmitQuietly(const grpc::ServerContextBase& context, access::Action action) const {
    return authenticator_.Admit(context, action);
  }

  // The child id of `child` if the caller may see the child; INVALID_ARGUMENT for a malformed
  // identifier, otherwise NOT_FOUND with the same words whether the hub holds no such child or
  // holds one the caller may not see (issue 11, point 10: no existence oracle). The access log
  // records which it was.
  absl::StatusOr<ChildId> SeeChild(const security::Caller& caller, access::Action action, absl::string_view method,
                                   const std::string& child);
  // True if the caller may see the child (no logging: for filtering search results).
  bool MaySee(const security::Caller& caller, const ChildId& child_id) const;

  // Logs the access, then finishes the call with `outcome`. If the log cannot be written, it
  // clears `response` and answers with that error instead: nothing is disclosed unlogged.
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context, google::protobuf::Message* response,
                                   const security::Caller& caller, access::Action action, absl::string_view method,
                                   const std::string& child_id, std::string detail, const absl::Status& outcome);

  // Logs a finished access. An error means it was not recorded: disclose nothing.
  absl::Status Record(const security::Caller& caller, access::Action action, absl::string_view method,
                      const std::string& child_id, std::string detail, const absl::Status& outcome = absl::OkStatus());

  // The partnership's masks for `reader` (config/access.json) and, for everyone but the child's
  // carers, the whole Philomena profile: others read it only through GetPhilomenaProfile, under
  // its release rule (domain/philomena.h), never as part of a chronology.
  std::vector<access::MaskRule> MasksFor(const access::Principal& reader) const;
  // `reader`'s agency and its registered kind, as the Philomena rule sees them.
  PhilomenaReader PhilomenaReaderOf(const access::Principal& reader) const;
  const AgencyRegistry& agencies() const { return authenticator_.config().agencies; }
  const std::string& home_authority() const { return home_authority_; }
  absl::Time Now() const { return clock_.Now(); }
  AccessLog& log() { return log_; }

 private:
  const security::Authenticator& authenticator_;
  AccessLog& log_;
  const ChronologyStore& store_;
  const std::string home_authority_;
  const Clock& clock_;
  metrics::Metrics& metrics_;
};

// What the access log keeps of caller-supplied text: a child id or a query as asked (escaped,
// at most 256 bytes) and details (at most 2 KiB), each marked where cut.
inline constexpr size_t kLoggedIdBytes = 256;
inline constexpr size_t kLoggedDetailBytes = 2048;

// Outcome text for the log: "OK" or "PERMISSION_DENIED: ...".
std::string OutcomeText(const absl::Status& status);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCESS_GATE_H_
