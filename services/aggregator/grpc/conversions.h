// File: conversions.h
//
// The aggregator's domain views as homeward.v1 messages.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_

#include "homeward/v1/chronology_service.pb.h"
#include "services/aggregator/domain/chronology_store.h"

namespace homeward::aggregator {

void ToProto(const ChronologyPage& page, v1::GetChronologyResponse* out);
void ToProto(const Episode& episode, v1::Episode* out);
void ToProto(const ChildProfile& profile, v1::ChildProfile* out);
void ToProto(const ChildSummary& summary, v1::ChildSummary* out);

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_CONVERSIONS_H_
