// File: secure_stack.h
//
// What integration tests need to talk to a locked-down hub: development credentials made once
// per test binary with deploy/dev-credentials.sh (plus a second CA whose certificates the hub
// must refuse), the shipped config/access.json with the test agencies added, people's tokens,
// and mutual-TLS channels and contexts.
#ifndef HOMEWARD_TESTS_TESTING_SECURE_STACK_H_
#define HOMEWARD_TESTS_TESTING_SECURE_STACK_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "common/access/access_config.h"
#include "common/security/token.h"
#include "services/aggregator/aggregator.h"

namespace homeward::testing {

struct TestPki {
  std::string dir;        // ca.pem, server.{pem,key}, clients/<subject>.{pem,key}, token.key
  std::string other_dir;  // the same subjects signed by another CA
  std::string token_key;
};

// Made on first use; the subjects are those of config/access.json plus police.test,
// police.other and duty.other-team.
const TestPki& Pki();

// config/access.json, with test systems: police.test and police.other (publishers as
// themselves), duty.other-team (a duty team system for "other-team").
access::AccessConfig TestAccessConfig();

// `options` with the test credentials, access configuration and an in-memory access log. The
// hub's home authority is "coventry" unless the rules say otherwise.
aggregator::AggregatorOptions Secure(aggregator::AggregatorOptions options);

// A mutual-TLS channel to 127.0.0.1:`port` as certificate `client` from `dir` (default Pki().dir).
std::shared_ptr<grpc::Channel> SecureChannel(int port, const std::string& client = "homeward-cli",
                                             const std::string& dir = "");

// A person's token signed with the test key, valid from `now` for 8 hours. A reader with no
// registered agency gets every kind's masks (deny by default).
std::string TokenFor(access::Role role, const std::string& subject, absl::Time now,
                     const std::string& authority = "coventry", const std::string& team = "",
                     const std::string& agency = "");

// Tokens for the usual people at `now`.
std::string CoordinatorToken(absl::Time now);  // cw-1 (coordinator, coventry, of lcs.coventry)
std::string DutyToken(absl::Time now);         // duty-1 (duty_team missing-children-duty, coventry)
std::string AuditorToken(absl::Time now);      // dpo-1 (auditor)
std::string AdminToken(absl::Time now);        // admin-1 (administrator)

// Sets a 10 s deadline, the token (if any), a purpose and the lawful basis dpa2018-sch1-para18.
void AddCaller(grpc::ClientContext& context, const std::string& token,
               const std::string& purpose = "test: checking the chronology");

}  // namespace homeward::testing

#endif  // HOMEWARD_TESTS_TESTING_SECURE_STACK_H_
