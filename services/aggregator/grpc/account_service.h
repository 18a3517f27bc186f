// File: account_service.h
//
// homeward.v1.AccountService: who the hub takes a person for, for the software that signs them
// in (the web workspace). Only the caller's own principal is disclosed; every call is on the
// access log, as a sign-in.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCOUNT_SERVICE_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCOUNT_SERVICE_H_

#include <map>
#include <string>

#include "homeward/v1/account_service.grpc.pb.h"
#include "services/aggregator/grpc/access_gate.h"

namespace homeward::aggregator {

class AccountService final : public v1::AccountService::CallbackService {
 public:
  // `gate` must outlive the service; `lawful_bases` as config/access.json gives them.
  AccountService(AccessGate& gate, std::map<std::string, std::string> lawful_bases)
      : gate_(gate), lawful_bases_(std::move(lawful_bases)) {}

  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context, const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;

 private:
  AccessGate& gate_;
  const std::map<std::string, std::string> lawful_bases_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_ACCOUNT_SERVICE_H_
