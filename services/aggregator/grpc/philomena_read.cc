// ChronologyService.GetPhilomenaProfile: the Philomena Protocol's read (issue 16;
// docs/philomena.md). The rule is the domain's (domain/philomena.h); this handler finds the
// child, asks the rule, and puts the read or the refusal, with its reason, on the access log.
#include "absl/strings/str_cat.h"
#include "common/grpc/status.h"
#include "services/aggregator/domain/philomena.h"
#include "services/aggregator/grpc/chronology_service.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {
namespace {

// What a refused police reader is told, whatever the reason (before the report, another force's
// episode, after the return, no such child): the rule, not what the hub holds about the child.
// The reason is on the access log.
absl::Status PoliceRefusal(const std::string& force) {
  return absl::PermissionDeniedError(
      absl::StrCat("a Philomena profile is shared with a police force only while that force handles an open missing "
                   "episode of the child, from its missing report until the child is found (docs/philomena.md); "
                   "none is released to ",
                   force.empty() ? "this reader" : force, " for this child"));
}

}  // namespace

std::optional<ChronologyEntry> ReleasedPhilomenaProfile(const ChronologyStore& store, const AccessGate& gate,
                                                        const access::Principal& reader, const Alert& alert) {
  const PhilomenaReader who = gate.PhilomenaReaderOf(reader);
  // Only the force the notification is for: another subscriber to the same alert (the child's
  // authority) gets the notification without the profile.
  if (who.agency_kind != AgencyKind::kPolice || who.agency != alert.team) return std::nullopt;
  absl::StatusOr<ChildFacts> facts = store.Facts(alert.child_id.value());
  if (!facts.ok()) return std::nullopt;
  if (!MayReadPhilomenaProfile(who, facts->episodes, gate.Now()).ok()) return std::nullopt;
  const ChronologyEntry* profile = CurrentPhilomenaProfile(facts->entries);
  if (profile == nullptr) return std::nullopt;
  return *profile;
}

grpc::ServerUnaryReactor* ChronologyService::GetPhilomenaProfile(grpc::CallbackServerContext* context,
                                                                 const v1::GetPhilomenaProfileRequest* request,
                                                                 v1::GetPhilomenaProfileResponse* response) {
  constexpr char kMethod[] = "GetPhilomenaProfile";
  constexpr access::Action kAction = access::Action::kReadPhilomenaProfile;
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, kAction, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const PhilomenaReader reader = gate_.PhilomenaReaderOf(caller->principal);
  const bool police = reader.agency_kind == AgencyKind::kPolice;

  // A force reads by release, whichever authority the child belongs to; everyone else only
  // within the authority they may see (and then by the rule).
  absl::StatusOr<ChildId> child_id;
  if (police) {
    child_id = store_.ResolveChild(request->child());
    if (absl::IsNotFound(child_id.status())) {
      return gate_.Answer(context, response, *caller, kAction, kMethod, "",
                          absl::StrCat("refused: no child is named ", request->child()), PoliceRefusal(reader.agency));
    }
    if (!child_id.ok()) return gate_.Answer(context, response, *caller, kAction, kMethod, "", "", child_id.status());
  } else {
    child_id = gate_.SeeChild(*caller, kAction, kMethod, request->child());  // refusals logged
    if (!child_id.ok()) return FinishUnary(context, child_id.status());
  }
  absl::StatusOr<ChildFacts> facts = store_.Facts(child_id->value());
  if (!facts.ok()) return gate_.Answer(context, response, *caller, kAction, kMethod, child_id->value(), "", facts.status());

  absl::StatusOr<PhilomenaGrant> grant = MayReadPhilomenaProfile(reader, facts->episodes, clock_.Now());
  if (!grant.ok()) {
    return gate_.Answer(context, response, *caller, kAction, kMethod, child_id->value(),
                        absl::StrCat("refused: ", grant.status().message()),
                        police ? PoliceRefusal(reader.agency) : grant.status());
  }
  std::string basis = "the child's carers' own record";
  if (grant->release.has_value()) {
    basis = absl::StrCat("released to ", grant->release->force, ", the force handling episode ",
                         grant->release->episode_id);
    response->set_released_to(grant->release->force);
    response->set_episode_id(grant->release->episode_id);
  }
  const ChronologyEntry* profile = CurrentPhilomenaProfile(facts->entries);
  if (profile == nullptr) {
    response->Clear();
    return gate_.Answer(context, response, *caller, kAction, kMethod, child_id->value(), basis,
                        absl::NotFoundError("no Philomena profile is held for this child"));
  }
  response->set_child_id(facts->child_id.value());
  response->set_basis(basis);
  ToProto(*profile, response->mutable_profile());
  return gate_.Answer(context, response, *caller, kAction, kMethod, child_id->value(),
                      absl::StrCat("Philomena profile ", profile->event.event_id, " disclosed; ", basis),
                      absl::OkStatus());
}

}  // namespace homeward::aggregator
