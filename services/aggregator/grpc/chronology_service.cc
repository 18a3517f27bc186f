#include "services/aggregator/grpc/chronology_service.h"

#include <set>


#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/access/masking.h"
#include "common/codec/event_codec.h"
#include "common/domain/limits.h"
#include "common/grpc/status.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/grpc/chronology_reply.h"
#include "services/aggregator/grpc/conversions.h"
#include "services/aggregator/grpc/reply_limit.h"

namespace homeward::aggregator {
using access::Action;

grpc::ServerUnaryReactor* ChronologyService::GetChronology(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request_bytes,
                                                           grpc::ByteBuffer* reply) {
  constexpr char kMethod[] = "GetChronology";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadChild, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  // The raw method (chronology_reply.h) parses its own request.
  v1::GetChronologyRequest request;
  grpc::ByteBuffer copy(*request_bytes);  // shares the slices
  if (!grpc::SerializationTraits<v1::GetChronologyRequest>::Deserialize(&copy, &request).ok()) {
    return FinishUnary(context, absl::InvalidArgumentError("the request is not a homeward.v1.GetChronologyRequest"));
  }
  absl::StatusOr<ChildId> child_id = gate_.SeeChild(*caller, Action::kReadChild, kMethod, request.child());
  if (!child_id.ok()) return FinishUnary(context, child_id.status());
  ChronologyQuery q{.child = child_id->value(),
                    .agency_ids = {request.agency_ids().begin(), request.agency_ids().end()},
                    .kinds = {request.kinds().begin(), request.kinds().end()},
                    .page_size = request.page_size(),
                    .page_token = request.page_token()};
  if (request.has_from()) q.from = FromProtoTime(request.from());
  if (request.has_to()) q.to = FromProtoTime(request.to());
  const std::vector<access::MaskRule> masks = gate_.MasksFor(caller->principal);
  ChronologyReply assembled;
  int total = 0;
  const absl::Status found =
      store_.VisitPage(q, [&](const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries) {
        assembled = AssembleChronologyReply(head, entries, entry_cache_, masks, caller->principal);
        total = head.total_entries;
      });
  std::string detail;
  if (found.ok()) {
    detail = absl::StrCat(assembled.entries, " of ", total, " entries");
    if (!assembled.withheld.empty()) absl::StrAppend(&detail, "; withheld: ", absl::StrJoin(assembled.withheld, ", "));
  }
  // Nothing is disclosed before it is on the access log.
  if (absl::Status logged = gate_.Record(*caller, Action::kReadChild, kMethod, child_id->value(), detail, found); !logged.ok()) {
    return FinishUnary(context, logged);
  }
  if (found.ok()) {
    grpc::Slice slice(assembled.bytes);
    *reply = grpc::ByteBuffer(&slice, 1);
  }
  return FinishUnary(context, found);
}

grpc::ServerUnaryReactor* ChronologyService::GetEpisodes(grpc::CallbackServerContext* context,
                                                         const v1::GetEpisodesRequest* request,
                                                         v1::GetEpisodesResponse* response) {
  constexpr char kMethod[] = "GetEpisodes";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadChild, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  absl::StatusOr<ChildId> child_id = gate_.SeeChild(*caller, Action::kReadChild, kMethod, request->child());
  if (!child_id.ok()) return FinishUnary(context, child_id.status());
  absl::StatusOr<ChildFacts> facts = store_.Facts(child_id->value());
  const int page_size = request->page_size();
  if (facts.ok() && (page_size < 0 || page_size > 500)) facts = absl::InvalidArgumentError("page_size outside 0..500");
  if (facts.ok()) {
    response->set_child_id(facts->child_id.value());
    response->set_total_episodes(static_cast<int32_t>(facts->episodes.size()));
    const auto token = [](const Episode& e) { return absl::StrCat(absl::ToUnixNanos(e.start), "|", e.episode_id); };
    size_t first = 0;
    if (!request->page_token().empty()) {
      while (first < facts->episodes.size() && token(facts->episodes[first]) != request->page_token()) ++first;
      if (first == facts->episodes.size()) {
        facts = absl::InvalidArgumentError("page_token: not one this service issued (or the episodes changed)");
      } else {
        ++first;
      }
    }
    if (facts.ok()) {
      const size_t limit = page_size == 0 ? 100 : static_cast<size_t>(page_size);
      for (size_t i = first; i < facts->episodes.size() && i < first + limit; ++i) {
        ToProto(facts->episodes[i], response->add_episodes());
      }
      const int kept = KeepWithin(*response->mutable_episodes(), response->ByteSizeLong());
      response->mutable_episodes()->DeleteSubrange(kept, response->episodes_size() - kept);
      if (first + kept < facts->episodes.size()) response->set_next_page_token(token(facts->episodes[first + kept - 1]));
    }
  }
  return gate_.Answer(context, response, *caller, Action::kReadChild, kMethod, child_id->value(),
                      absl::StrCat(response->episodes_size(), " episodes"), facts.status());
}

grpc::ServerUnaryReactor* ChronologyService::GetChildProfile(grpc::CallbackServerContext* context,
                                                             const v1::GetChildProfileRequest* request,
                                                             v1::ChildProfile* response) {
  constexpr char kMethod[] = "GetChildProfile";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadChild, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  absl::StatusOr<ChildId> child_id = gate_.SeeChild(*caller, Action::kReadChild, kMethod, request->child());
  if (!child_id.ok()) return FinishUnary(context, child_id.status());
  // The profile counts episodes as rule repeat-missing does, in the rule's own window.
  ProfileOptions options;
  if (const RuleConfig* repeat = alerts_ ? alerts_->rules().Find("repeat-missing") : nullptr) {
    options.repeat_window = absl::Hours(24 * repeat->params.at("window_days"));
  }
  absl::StatusOr<ChildProfile> profile = store_.Profile(child_id->value(), clock_.Now(), options);
  int more_alerts = 0;
  if (profile.ok()) {
    ToProto(*profile, response);
    if (alerts_ != nullptr) {
      // Every open alert about the child, under any of its ids (raised before a link too).
      absl::StatusOr<AlertListing> open =
          alerts_->List({.child_ids = profile->identifiers,
                         .states = {AlertState::kRaised, AlertState::kAcknowledged, AlertState::kActioned},
                         .page_size = limits::kMaxProfileListItems});
      if (open.ok()) {
        for (const Alert& a : open->alerts) *response->add_open_alerts() = ToProto(a);
        more_alerts = open->total - static_cast<int>(open->alerts.size());
      }
    }
    // Each list capped, saying how many more there are (the chronology has them all).
    const auto cap = [](auto* list) {
      const int more = std::max(0, list->size() - limits::kMaxProfileListItems);
      if (more > 0) list->DeleteSubrange(limits::kMaxProfileListItems, more);
      return more;
    };
    response->set_more_names(cap(response->mutable_names()));
    response->set_more_exploitation_concerns(cap(response->mutable_exploitation_concerns()));
    response->set_more_data_quality_flags(cap(response->mutable_data_quality_flags()));
    response->set_more_linked_records(cap(response->mutable_linked_records()));
    response->set_more_open_alerts(more_alerts + cap(response->mutable_open_alerts()));
  }
  return gate_.Answer(context, response, *caller, Action::kReadChild, kMethod, child_id->value(),
                      absl::StrCat("profile with ", response->open_alerts_size(), " open alerts"), profile.status());
}

grpc::ServerUnaryReactor* ChronologyService::SearchChildren(grpc::CallbackServerContext* context,
                                                            const v1::SearchChildrenRequest* request,
                                                            v1::SearchChildrenResponse* response) {
  constexpr char kMethod[] = "SearchChildren";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kSearch, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  absl::StatusOr<std::vector<ChildSummary>> found;
  std::string asked;
  if (!request->identifier().empty()) {
    asked = absl::StrCat("identifier ", request->identifier());
    found = store_.SearchByIdentifier(request->identifier());
  } else if (!request->family_name().empty() && request->has_date_of_birth()) {
    const auto& d = request->date_of_birth();
    asked = absl::StrCat("name and date of birth (", request->family_name(), ")");
    found = store_.SearchByName(request->family_name(), request->given_name(), absl::CivilDay(d.year(), d.month(), d.day()));
  } else {
    found = absl::InvalidArgumentError("give an identifier, or a family name and date of birth");
  }
  std::vector<std::string> shown;
  if (found.ok()) {
    // Children outside the caller's authority are left out, without saying that they exist.
    for (const ChildSummary& s : *found) {
      if (!gate_.MaySee(*caller, s.child_id)) continue;
      ToProto(s, response->add_children());
      shown.push_back(s.child_id.value());
    }
  }
  return gate_.Answer(context, response, *caller, Action::kSearch, kMethod, shown.size() == 1 ? shown[0] : "",
                      absl::StrCat(asked, "; found: ", absl::StrJoin(shown, ", ")), found.status());
}

}  // namespace homeward::aggregator
