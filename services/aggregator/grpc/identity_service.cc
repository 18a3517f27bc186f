#include "services/aggregator/grpc/identity_service.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/codec/event_codec.h"
#include "common/domain/limits.h"
#include "common/grpc/status.h"
#include "services/aggregator/domain/identity_decision.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {

grpc::ServerUnaryReactor* IdentityService::ListProbableMatches(grpc::CallbackServerContext* context,
                                                               const v1::ListProbableMatchesRequest* request,
                                                               v1::ListProbableMatchesResponse* response) {
  constexpr char kMethod[] = "ListProbableMatches";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kReadMatches, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  if (request->page_size() < 0 || request->page_size() > 500) {
    return gate_.Answer(context, response, *caller, access::Action::kReadMatches, kMethod, "", "",
                        absl::InvalidArgumentError("page_size outside 0..500"));
  }
  const size_t limit = request->page_size() == 0 ? 100 : static_cast<size_t>(request->page_size());
  const auto token = [](const ProbableMatch& m) { return absl::StrCat(m.a.child_id, "|", m.b.child_id); };
  std::vector<std::string> pairs;
  size_t bytes = 0;
  for (const ProbableMatch& m : store_.ProbableMatches()) {  // ordered by (a, b)
    if (!request->page_token().empty() && token(m) <= request->page_token()) continue;
    v1::ProbableMatch out;
    ToProto(m.a, out.mutable_a());
    ToProto(m.b, out.mutable_b());
    out.set_evidence(m.evidence);
    bytes += out.ByteSizeLong() + 4;
    if (!pairs.empty() && (pairs.size() == limit || bytes > limits::kMaxReplyBytes)) {
      response->set_next_page_token(pairs.back());  // the last pair returned
      break;
    }
    *response->add_matches() = std::move(out);
    pairs.push_back(token(m));
  }
  return gate_.Answer(context, response, *caller, access::Action::kReadMatches, kMethod, "",
                      absl::StrCat(pairs.size(), " pairs: ", absl::StrJoin(pairs, ", ")), absl::OkStatus());
}

grpc::ServerUnaryReactor* IdentityService::DecideMatch(grpc::CallbackServerContext* context,
                                                       const v1::DecideMatchRequest* request,
                                                       v1::DecideMatchResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  constexpr char kMethod[] = "DecideMatch";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, access::Action::kDecideMatch, kMethod);
  const auto fail = [&](const absl::Status& s) {
    if (caller.ok()) {
      (void)gate_.Record(*caller, access::Action::kDecideMatch, kMethod, "",
                         absl::StrCat(request->identifier_a(), " / ", request->identifier_b()), s);
    }
    reactor->Finish(ToGrpcStatus(s));
    return reactor;
  };
  if (!caller.ok()) {
    reactor->Finish(ToGrpcStatus(caller.status()));
    return reactor;
  }
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
       .decided_by = caller->principal.subject,  // the authenticated caller, not the request's claim
       .reason = request->reason()},
      now, absl::StrFormat("D-%d-%016x", absl::ToUnixMillis(now), absl::Uniform<uint64_t>(bits)));
  if (!decision.ok()) return fail(decision.status());
  response->set_decision_event_id(decision->event_id);
  const std::string child_id = store_.ResolveChild(request->identifier_a()).value_or("");
  if (absl::Status logged = gate_.Record(
          *caller, access::Action::kDecideMatch, kMethod, child_id,
          absl::StrCat(request->decision() == v1::IdentityDecision::DECISION_LINK ? "LINK " : "SEPARATE ",
                       request->identifier_a(), " and ", request->identifier_b(), "; reason: ", request->reason(),
                       "; decision ", decision->event_id));
      !logged.ok()) {
    reactor->Finish(ToGrpcStatus(logged));
    return reactor;
  }
  publisher_.PublishAsync({EventMessage(*decision)}, [reactor](std::vector<absl::Status> delivered) {
    reactor->Finish(ToGrpcStatus(delivered[0]));
  });
  return reactor;
}

}  // namespace homeward::aggregator
