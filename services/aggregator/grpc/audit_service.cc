#include "services/aggregator/grpc/audit_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/grpc/status.h"

namespace homeward::aggregator {
namespace {

using access::Action;

void ToProto(const AccessEntry& e, v1::AccessEntry* out) {
  out->set_seq(e.seq);
  *out->mutable_at() = ToProtoTime(e.at);
  out->set_subject(e.subject);
  out->set_role(e.role);
  out->set_agency(e.agency);
  out->set_authority(e.authority);
  out->set_team(e.team);
  out->set_client(e.client);
  out->set_peer(e.peer);
  out->set_action(e.action);
  out->set_method(e.method);
  out->set_child_id(e.child_id);
  out->set_detail(e.detail);
  out->set_purpose(e.purpose);
  out->set_lawful_basis(e.lawful_basis);
  out->set_outcome(e.outcome);
  out->set_prev_hash(e.prev_hash);
  out->set_hash(e.hash);
}

}  // namespace

grpc::ServerUnaryReactor* AuditService::ListAccess(grpc::CallbackServerContext* context,
                                                   const v1::ListAccessRequest* request,
                                                   v1::ListAccessResponse* response) {
  constexpr char kMethod[] = "ListAccess";
  // Auditors read the whole log. A coordinator may read the access history of a child they may
  // see ("who has looked at this record"; CP-IS gives social workers the same).
  absl::StatusOr<access::Principal> who = gate_.Who(*context);
  const bool coordinator = who.ok() && who->role == access::Role::kCoordinator;
  const Action action = coordinator ? Action::kReadChild : Action::kReadAccessLog;
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, action, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());

  AccessQuery query{.subject = request->subject(), .after_seq = request->after_seq()};
  query.limit = request->page_size() <= 0 ? 100 : std::min(request->page_size(), 1000);
  if (request->has_from()) query.from = FromProtoTime(request->from());
  if (request->has_to()) query.to = FromProtoTime(request->to());
  std::string child_id;
  if (coordinator) {
    if (request->child().empty()) {
      const absl::Status s = absl::PermissionDeniedError("coordinators may read the access history of one child");
      (void)gate_.Record(*caller, action, kMethod, "", "", s);
      return FinishUnary(context, s);
    }
    absl::StatusOr<ChildId> seen = gate_.SeeChild(*caller, action, kMethod, request->child());
    if (!seen.ok()) return FinishUnary(context, seen.status());
    child_id = seen->value();
  } else if (!request->child().empty()) {
    // A purged child no longer resolves; the log still answers for the id as given.
    child_id = store_.ResolveChild(request->child()).value_or(ChildId(request->child())).value();
  }
  if (!child_id.empty()) {
    // Entries are filed under the child id of their time; links made since may have changed it.
    query.child_ids = {child_id, request->child()};
    if (absl::StatusOr<ChronologyStore::Scope> scope = store_.ScopeOf(child_id, "", gate_.agencies()); scope.ok()) {
      query.child_ids.insert(query.child_ids.end(), scope->identifiers.begin(), scope->identifiers.end());
    }
  }
  absl::StatusOr<std::vector<AccessEntry>> entries = gate_.log().Query(query);
  if (entries.ok()) {
    for (const AccessEntry& e : *entries) ToProto(e, response->add_entries());
    if (static_cast<int>(entries->size()) == query.limit) response->set_next_after_seq(entries->back().seq);
  }
  return gate_.Answer(context, response, *caller, action, kMethod, child_id,
                      absl::StrCat(response->entries_size(), " access log entries"), entries.status());
}

grpc::ServerUnaryReactor* AuditService::VerifyAccessLog(grpc::CallbackServerContext* context,
                                                        const v1::VerifyAccessLogRequest*,
                                                        v1::VerifyAccessLogResponse* response) {
  constexpr char kMethod[] = "VerifyAccessLog";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadAccessLog, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  // Anchor the head first, so the check covers everything up to this call.
  if (anchoring_ != nullptr) (void)anchoring_->AnchorNow();
  absl::StatusOr<std::vector<Anchor>> anchors =
      anchoring_ != nullptr ? anchoring_->Gather() : absl::StatusOr<std::vector<Anchor>>(std::vector<Anchor>{});
  absl::StatusOr<ChainCheck> check = anchors.ok() ? gate_.log().Verify(*anchors) : anchors.status();
  if (check.ok()) {
    response->set_intact(check->intact);
    response->set_entries(check->entries);
    response->set_first_bad_seq(check->first_bad_seq);
    response->set_problem(check->problem);
    response->set_head_hash(check->head_hash);
    for (const ChainBreak& b : check->breaks) response->add_breaks(b.problem);
    response->set_more_breaks(check->more_breaks);
    response->set_anchors_checked(check->anchors_checked);
    response->set_anchored_seq(check->anchored_seq);
  }
  const std::string detail =
      check.ok() ? (check->intact ? absl::StrCat("intact, ", check->entries, " entries, head ", check->head_hash,
                                                 ", ", check->anchors_checked, " anchors checked")
                                  : absl::StrCat("NOT intact: ", check->breaks.size() + check->more_breaks,
                                                 " break(s); first: ", check->problem))
                 : "";
  return gate_.Answer(context, response, *caller, Action::kReadAccessLog, kMethod, "", detail, check.status());
}

grpc::ServerUnaryReactor* RetentionService::PurgeChild(grpc::CallbackServerContext* context,
                                                       const v1::PurgeChildRequest* request,
                                                       v1::PurgeChildResponse* response) {
  constexpr char kMethod[] = "PurgeChild";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kPurge, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  if (request->reason().empty()) {
    const absl::Status s = absl::InvalidArgumentError("give the reason for the purge (the retention rule or decision)");
    (void)gate_.Record(*caller, Action::kPurge, kMethod, "", request->child(), s);
    return FinishUnary(context, s);
  }
  absl::StatusOr<PurgedChild> purged =
      retention_.Purge(request->child(), caller->principal.subject, request->reason(), clock_.Now());
  if (purged.ok()) {
    response->set_child_id(purged->child_id.value());
    response->set_events_purged(static_cast<int32_t>(purged->event_ids.size()));
  }
  // Whatever the log says, the purge has happened: report its outcome, and a log failure loudly.
  const absl::Status logged =
      gate_.Record(*caller, Action::kPurge, kMethod, purged.ok() ? purged->child_id.value() : "",
                   purged.ok() ? absl::StrCat(purged->event_ids.size(), " events purged; reason: ", request->reason())
                               : absl::StrCat("asked for ", request->child(), "; reason: ", request->reason()),
                   purged.status());
  return FinishUnary(context, purged.ok() ? logged : purged.status());
}

}  // namespace homeward::aggregator
