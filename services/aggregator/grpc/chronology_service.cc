#include "services/aggregator/grpc/chronology_service.h"

#include "common/codec/event_codec.h"
#include "common/grpc/status.h"
#include "services/aggregator/alerts/alert_codec.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {
namespace {

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace

grpc::ServerUnaryReactor* ChronologyService::GetChronology(grpc::CallbackServerContext* context,
                                                           const v1::GetChronologyRequest* request,
                                                           v1::GetChronologyResponse* response) {
  ChronologyQuery q{.child = request->child(),
                    .agency_ids = {request->agency_ids().begin(), request->agency_ids().end()},
                    .kinds = {request->kinds().begin(), request->kinds().end()},
                    .page_size = request->page_size(),
                    .page_token = request->page_token()};
  if (request->has_from()) q.from = FromProtoTime(request->from());
  if (request->has_to()) q.to = FromProtoTime(request->to());
  absl::StatusOr<ChronologyPage> page = store_.Query(q);
  if (page.ok()) ToProto(*page, response);
  return Finish(context, page.status());
}

grpc::ServerUnaryReactor* ChronologyService::GetEpisodes(grpc::CallbackServerContext* context,
                                                         const v1::GetEpisodesRequest* request,
                                                         v1::GetEpisodesResponse* response) {
  absl::StatusOr<ChildFacts> facts = store_.Facts(request->child());
  if (facts.ok()) {
    response->set_child_id(facts->child_id);
    for (const Episode& e : facts->episodes) ToProto(e, response->add_episodes());
  }
  return Finish(context, facts.status());
}

grpc::ServerUnaryReactor* ChronologyService::GetChildProfile(grpc::CallbackServerContext* context,
                                                             const v1::GetChildProfileRequest* request,
                                                             v1::ChildProfile* response) {
  absl::StatusOr<ChildProfile> profile = store_.Profile(request->child(), clock_.Now());
  if (profile.ok()) {
    ToProto(*profile, response);
    if (alerts_ != nullptr) {
      for (const Alert& a : alerts_->List({.child_id = profile->child_id, .open_only = true})) {
        *response->add_open_alerts() = ToProto(a);
      }
    }
  }
  return Finish(context, profile.status());
}

grpc::ServerUnaryReactor* ChronologyService::SearchChildren(grpc::CallbackServerContext* context,
                                                            const v1::SearchChildrenRequest* request,
                                                            v1::SearchChildrenResponse* response) {
  absl::StatusOr<std::vector<ChildSummary>> found;
  if (!request->identifier().empty()) {
    found = store_.SearchByIdentifier(request->identifier());
  } else if (!request->family_name().empty() && request->has_date_of_birth()) {
    const auto& d = request->date_of_birth();
    found = store_.SearchByName(request->family_name(), request->given_name(), absl::CivilDay(d.year(), d.month(), d.day()));
  } else {
    found = absl::InvalidArgumentError("give an identifier, or a family name and date of birth");
  }
  if (found.ok()) {
    for (const ChildSummary& s : *found) ToProto(s, response->add_children());
  }
  return Finish(context, found.status());
}

}  // namespace homeward::aggregator
