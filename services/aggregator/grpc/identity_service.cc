#include "services/aggregator/grpc/identity_service.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "services/aggregator/domain/identity_decision.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {

grpc::ServerUnaryReactor* IdentityService::ListProbableMatches(grpc::CallbackServerContext* context,
                                                               const v1::ListProbableMatchesRequest*,
                                                               v1::ListProbableMatchesResponse* response) {
  for (const ProbableMatch& m : store_.ProbableMatches()) {
    v1::ProbableMatch* out = response->add_matches();
    ToProto(m.a, out->mutable_a());
    ToProto(m.b, out->mutable_b());
    out->set_evidence(m.evidence);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* IdentityService::DecideMatch(grpc::CallbackServerContext* context,
                                                       const v1::DecideMatchRequest* request,
                                                       v1::DecideMatchResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto fail = [&](const absl::Status& s) {
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  };
  if (request->decision() != v1::IdentityDecision::DECISION_LINK &&
      request->decision() != v1::IdentityDecision::DECISION_SEPARATE) {
    return fail(absl::InvalidArgumentError("decision: LINK or SEPARATE"));
  }
  for (const std::string* id : {&request->identifier_a(), &request->identifier_b()}) {
    if (absl::Status known = store_.ResolveChild(*id).status(); !known.ok()) return fail(known);
  }
  thread_local absl::BitGen bits;  // decision ids: time + 64 random bits
  const absl::Time now = clock_.Now();
  absl::StatusOr<Event> decision = NewIdentityDecision(
      {.identifier_a = request->identifier_a(),
       .identifier_b = request->identifier_b(),
       .link = request->decision() == v1::IdentityDecision::DECISION_LINK,
       .decided_by = request->decided_by(),
       .reason = request->reason()},
      now, absl::StrFormat("D-%d-%016x", absl::ToUnixMillis(now), absl::Uniform<uint64_t>(bits)));
  if (!decision.ok()) return fail(decision.status());
  response->set_decision_event_id(decision->event_id);
  publisher_.PublishAsync({EventMessage(*decision)}, [reactor](std::vector<absl::Status> delivered) {
    reactor->Finish(ToGrpcStatus(delivered[0]));
  });
  return reactor;
}

}  // namespace homeward::aggregator
