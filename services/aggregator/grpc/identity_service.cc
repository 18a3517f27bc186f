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
  const auto token = [](const ProbableMatch& m) { return absl::StrCat(m.a.child_id.value(), "|", m.b.child_id.value()); };
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
  std::vector<ChildId> children;
  for (const std::string* id : {&request->identifier_a(), &request->identifier_b()}) {
    absl::StatusOr<ChildId> child = store_.ResolveChild(*id);
    if (!child.ok()) return fail(child.status());
    children.push_back(*child);
  }
  const bool link = request->decision() == v1::IdentityDecision::DECISION_LINK;
  if (request->identifier_a() == request->identifier_b()) {
    return fail(absl::InvalidArgumentError("identifier_a and identifier_b are the same identifier"));
  }
  // A decision that changes nothing is not recorded: a second identical one would only say the
  // same thing twice on the record (and a link repeated by mistake would hide the first's reason).
  if (link && children[0] == children[1]) {
    return fail(absl::AlreadyExistsError(absl::StrCat(request->identifier_a(), " and ", request->identifier_b(),
                                                      " are already one child (", children[0].value(), "): nothing recorded")));
  }
  if (!link && children[0] != children[1] && store_.KeptSeparate(children[0], children[1])) {
    return fail(absl::AlreadyExistsError(absl::StrCat(request->identifier_a(), " and ", request->identifier_b(),
                                                      " are already kept separate: nothing recorded")));
  }
  for (const ChildId& child : children) {
    if (response->children_size() > 0 && response->children(0).child_id() == child.value()) continue;
    absl::StatusOr<std::vector<ChildSummary>> found = store_.SearchByIdentifier(child.value());
    if (found.ok() && !found->empty()) ToProto(found->front(), response->add_children());
  }
  thread_local absl::BitGen bits;  // decision ids: time + 64 random bits
  const absl::Time now = clock_.Now();
  absl::StatusOr<Event> decision = NewIdentityDecision(
      {.identifier_a = request->identifier_a(),
       .identifier_b = request->identifier_b(),
       .link = link,
       .decided_by = caller->principal.subject,  // the authenticated caller, not the request's claim
       .reason = request->reason()},
      now, absl::StrFormat("D-%d-%016x", absl::ToUnixMillis(now), absl::Uniform<uint64_t>(bits)));
  if (!decision.ok()) return fail(decision.status());
  response->set_decision_event_id(decision->event_id);
  const std::string child_id = store_.ResolveChild(request->identifier_a()).value_or(ChildId()).value();
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
