// Fuzz target: every other piece of text the hub parses, on the same input: configuration files
// (rules, access, mapping, webhooks), and what callers send (tokens, stream cursors, child
// identifiers). Each answers with a status; nothing crashes or hangs.
#include <cstdint>

#include "common/access/access_config.h"
#include "common/domain/child_identifiers.h"
#include "common/security/token.h"
#include "services/adapters/io/mapping_file.h"
#include "services/aggregator/alerts/alert_coordinator.h"
#include "services/aggregator/alerts/rules_file.h"
#include "services/aggregator/webhooks/webhook_dispatcher.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace homeward;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)aggregator::ParseRulesFile(text);
  (void)access::ParseAccessConfig(text);
  (void)adapters::ParseMappingFile(text);
  (void)aggregator::ParseWebhooksFile(text);
  (void)security::VerifyToken(text, std::string(64, 'k'), fuzz::FixedNow(), absl::Hours(12));
  (void)aggregator::ParseCursor(text);
  (void)ParseChildIdentifier(text);
  return 0;
}
