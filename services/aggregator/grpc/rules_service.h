// File: rules_service.h
//
// homeward.v1.RulesService (proto/homeward/v1/rules_service.proto): the rules in force, the
// what-if replay of a proposed rule set over this replica's log (rules/what_if.h), and the rules
// history. For report viewers and coordinators; children are named only to a coordinator who
// gave a purpose, and only those they may see. Every call, allowed or not, is on the access log.
//
// A what-if runs on the calling gRPC thread and shares the reports' places (at most
// kMaxConcurrentReports at once; beyond that RESOURCE_EXHAUSTED, "try again").
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_RULES_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_RULES_SERVICE_H_

#include <atomic>

#include "common/clock.h"
#include "homeward/v1/rules_service.grpc.pb.h"
#include "services/aggregator/domain/episodes.h"
#include "services/aggregator/domain/reports/report_engine.h"
#include "services/aggregator/domain/rule_set.h"
#include "services/aggregator/domain/rules/history.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

struct RulesServiceOptions {
  RuleSet in_force;
  int64_t revision = 0;  // the rules history revision in force
  EpisodeOptions episodes;
};

class RulesService final : public v1::RulesService::CallbackService {
 public:
  // Every reference must outlive the service. `running` counts the reports and what-ifs being
  // computed (ReportService's).
  RulesService(reports::EventHistory& events, rules::RulesHistory& history, AccessGate& gate, const Clock& clock,
               std::atomic<int>& running, RulesServiceOptions options)
      : events_(events), history_(history), gate_(gate), clock_(clock), running_(running), options_(std::move(options)) {}

  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context, const v1::ListRulesRequest* request,
                                      v1::ListRulesResponse* response) override;
  grpc::ServerUnaryReactor* WhatIf(grpc::CallbackServerContext* context, const v1::WhatIfRequest* request,
                                   v1::WhatIfResponse* response) override;
  grpc::ServerUnaryReactor* GetRulesHistory(grpc::CallbackServerContext* context,
                                            const v1::GetRulesHistoryRequest* request,
                                            v1::GetRulesHistoryResponse* response) override;

 private:
  reports::EventHistory& events_;
  rules::RulesHistory& history_;
  AccessGate& gate_;
  const Clock& clock_;
  std::atomic<int>& running_;
  const RulesServiceOptions options_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_RULES_SERVICE_H_
