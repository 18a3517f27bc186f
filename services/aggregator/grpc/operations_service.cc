#include "services/aggregator/grpc/operations_service.h"

#include "absl/strings/str_cat.h"
#include "common/codec/event_codec.h"
#include "common/domain/event_validation.h"
#include "common/grpc/status.h"
#include "common/topics.h"

namespace homeward::aggregator {
namespace {

using access::Action;

void ToProto(const LogGap& g, v1::LogGap* out) {
  out->set_topic(g.tp.topic);
  out->set_partition(g.tp.partition);
  out->set_from_offset(g.from);
  out->set_to_offset(g.to);
  *out->mutable_detected_at() = ToProtoTime(g.detected_at);
  if (g.accepted_at) *out->mutable_accepted_at() = ToProtoTime(*g.accepted_at);
  out->set_accepted_by(g.accepted_by);
  out->set_description(g.Describe());
}

}  // namespace

std::vector<std::pair<std::string, int64_t>> NamedCounters(const IngestStats& s) {
  return {{"replayed", s.replayed},
          {"consumed", s.consumed},
          {"added", s.added},
          {"duplicates", s.duplicates},
          {"superseded", s.superseded},
          {"stale", s.stale},
          {"purges", s.purges},
          {"batches", s.batches},
          {"dead_lettered", s.dead_lettered},
          {"rejected_oversized", s.rejected_oversized},
          {"rejected_invalid", s.rejected_invalid},
          {"rejected_unregistered", s.rejected_unregistered},
          {"rejected_conflicts", s.rejected_conflicts},
          {"rejected_impossible", s.rejected_impossible},
          {"dead_letters_by_reference", s.dead_letters_by_reference},
          {"commit_failures", s.commit_failures},
          {"log_gaps", s.log_gaps},
          {"quarantined", s.quarantined}};
}

grpc::ServerUnaryReactor* OperationsService::GetIngestStatus(grpc::CallbackServerContext* context,
                                                             const v1::GetIngestStatusRequest*,
                                                             v1::IngestStatus* response) {
  constexpr char kMethod[] = "GetIngestStatus";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kReadStatus, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const IngestHealth health = ingestor_.health();
  response->set_serving(health.serving);
  response->set_reason(health.reason);
  response->set_consecutive_failures(health.consecutive_failures);
  response->set_last_error(health.last_error);
  for (const auto& [name, value] : NamedCounters(ingestor_.stats())) (*response->mutable_counters())[name] = value;
  for (const LogGap& g : health.open_gaps) ToProto(g, response->add_open_gaps());
  for (const std::string& id : health.awaiting_rebuild) response->add_awaiting_rebuild(id);
  for (const auto& [tp, next] : ingestor_.next_offsets()) {
    (*response->mutable_next_offsets())[absl::StrCat(tp.topic, "/", tp.partition)] = next;
  }
  absl::StatusOr<std::vector<LogGap>> gaps = store_.Gaps();
  if (gaps.ok()) {
    for (const LogGap& g : *gaps) ToProto(g, response->add_gaps());
  }
  return gate_.Answer(context, response, *caller, Action::kReadStatus, kMethod, "",
                      health.serving ? "SERVING" : absl::StrCat("NOT_SERVING: ", health.reason), gaps.status());
}

grpc::ServerUnaryReactor* OperationsService::AcceptLogGap(grpc::CallbackServerContext* context,
                                                          const v1::AcceptLogGapRequest* request,
                                                          v1::AcceptLogGapResponse* response) {
  constexpr char kMethod[] = "AcceptLogGap";
  absl::StatusOr<security::Caller> caller = gate_.Admit(*context, Action::kAcceptGap, kMethod);
  if (!caller.ok()) return FinishUnary(context, caller.status());
  const TopicPartition tp{request->topic().empty() ? kafka::kEventsTopic : request->topic(), request->partition()};
  absl::Status valid = CheckId("topic", tp.topic);
  if (valid.ok() && request->reason().empty()) {
    valid = absl::InvalidArgumentError("give the reason (what was re-imported, or why the records are gone for good)");
  }
  if (valid.ok() && request->reason().size() > 2000) valid = absl::InvalidArgumentError("reason: over 2000 bytes");
  if (!valid.ok()) return gate_.Answer(context, response, *caller, Action::kAcceptGap, kMethod, "", "", valid);
  absl::StatusOr<LogGap> gap = ingestor_.AcceptGap(tp, caller->principal.subject);
  if (gap.ok()) ToProto(*gap, response->mutable_gap());
  return gate_.Answer(context, response, *caller, Action::kAcceptGap, kMethod, "",
                      absl::StrCat(gap.ok() ? gap->Describe() : absl::StrCat(tp.topic, "/", tp.partition), "; reason: ",
                                   request->reason()),
                      gap.status());
}

}  // namespace homeward::aggregator
