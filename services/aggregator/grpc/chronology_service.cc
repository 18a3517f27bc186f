#include "services/aggregator/grpc/chronology_service.h"

#include "common/codec/event_codec.h"
#include "common/grpc/status.h"

namespace homeward::aggregator {
namespace {

absl::Time FromProtoTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

ChronologyQuery ToQuery(const v1::GetChronologyRequest& r) {
  ChronologyQuery q{.child = r.child(),
                    .agency_ids = {r.agency_ids().begin(), r.agency_ids().end()},
                    .kinds = {r.kinds().begin(), r.kinds().end()},
                    .page_size = r.page_size(),
                    .page_token = r.page_token()};
  if (r.has_from()) q.from = FromProtoTime(r.from());
  if (r.has_to()) q.to = FromProtoTime(r.to());
  return q;
}

void ToProto(const ChronologyPage& page, v1::GetChronologyResponse* out) {
  out->set_child_id(page.child_id);
  for (const auto& id : page.identifiers) out->add_identifiers(id);
  for (const ChronologyEntry& e : page.entries) {
    v1::ChronologyEntry* entry = out->add_entries();
    *entry->mutable_event() = homeward::ToProto(e.event);
    entry->set_kind(e.kind);
    entry->set_summary(e.summary);
    for (const auto& id : e.superseded_event_ids) entry->add_superseded_event_ids(id);
  }
  out->set_total_entries(page.total_entries);
  out->set_next_page_token(page.next_page_token);
}

}  // namespace

grpc::ServerUnaryReactor* ChronologyService::GetChronology(grpc::CallbackServerContext* context,
                                                           const v1::GetChronologyRequest* request,
                                                           v1::GetChronologyResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<ChronologyPage> page = store_.Query(ToQuery(*request));
  if (page.ok()) ToProto(*page, response);
  reactor->Finish(ToGrpcStatus(page.status()));
  return reactor;
}

}  // namespace homeward::aggregator
