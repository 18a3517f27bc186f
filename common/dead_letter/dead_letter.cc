#include "common/dead_letter/dead_letter.h"

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "common/json/json.h"
#include "common/topics.h"

namespace homeward {

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), len));
}

OutboundMessage MakeDeadLetter(const DeadLetterOrigin& origin, absl::string_view original, const absl::Status& why,
                               bool force_reference) {
  const bool whole = !force_reference && original.size() <= kMaxWholeBytes;
  json::ObjectWriter reason;
  reason.Set("rejected_by", origin.rejected_by).Set("reason", why.message());
  if (!origin.topic.empty()) {
    reason.Set("topic", origin.topic).Set("partition", origin.partition).Set("offset", origin.offset);
  }
  if (!origin.agency_id.empty()) reason.Set("agency_id", origin.agency_id);
  reason.Set("size", static_cast<int64_t>(original.size())).Set("sha256", Sha256Hex(original));
  reason.Set("stored", whole ? "whole" : "reference");
  if (!whole) reason.Set("prefix_bytes", static_cast<int64_t>(std::min(original.size(), kPrefixBytes)));
  return OutboundMessage{.topic = kafka::kDeadLetterTopic,
                         .key = origin.key,
                         .value = std::string(whole ? original : original.substr(0, kPrefixBytes)),
                         .headers = {{"homeward-reason", reason.Dump()}}};
}

}  // namespace homeward
