#include "services/aggregator/audit/anchors.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/logging.h"

namespace homeward::aggregator {

std::string AnchorJson(const Anchor& a) {
  return json::ObjectWriter()
      .Set("log", a.log_id)
      .Set("seq", a.seq)
      .Set("hash", a.hash)
      .Set("at_us", absl::ToUnixMicros(a.at))
      .Set("at", absl::FormatTime(absl::RFC3339_full, a.at, absl::UTCTimeZone()))
      .Set("mac", a.mac)
      .Dump();
}

absl::StatusOr<Anchor> ParseAnchor(absl::string_view text) {
  absl::StatusOr<json::Document> doc = json::Document::Parse(text);
  if (!doc.ok()) return doc.status();
  const json::Value v = doc->root();
  absl::StatusOr<std::string> log = v.String("log"), hash = v.String("hash"), mac = v.String("mac");
  absl::StatusOr<int64_t> seq = v.Integer("seq"), at = v.Integer("at_us");
  for (const absl::Status& s : {log.status(), hash.status(), mac.status(), seq.status(), at.status()}) {
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("anchor: ", s.message()));
  }
  return Anchor{.log_id = *log, .seq = *seq, .hash = *hash, .at = absl::FromUnixMicros(*at), .mac = *mac};
}

absl::Status FileAnchors::Publish(const Anchor& anchor) {
  absl::MutexLock lock(&mu_);
  std::ofstream out(path_, std::ios::app);
  out << AnchorJson(anchor) << "\n";
  out.flush();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot append to ", path_));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Anchor>> FileAnchors::Read(const std::string& log_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<std::string> text = ReadWholeFile(path_, "anchors file");
  if (absl::IsNotFound(text.status())) return std::vector<Anchor>{};
  if (!text.ok()) return text.status();
  std::vector<Anchor> anchors;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipWhitespace())) {
    absl::StatusOr<Anchor> a = ParseAnchor(line);
    // An unreadable line is kept as an anchor of this log that cannot verify: it is reported.
    anchors.push_back(a.ok() ? *a : Anchor{.log_id = log_id, .mac = "unreadable"});
  }
  return anchors;
}

absl::Status Anchoring::AnchorNow(bool force) {
  const Anchor head = log_.Head();
  {
    absl::MutexLock lock(&mu_);
    if (!force && head.seq == anchored_seq_) return absl::OkStatus();
  }
  absl::Status all;
  for (AnchorStore* store : stores_) {
    if (absl::Status s = store->Publish(head); !s.ok()) {
      log::Error("access log anchor (seq {}) not published to {}: {}", head.seq, store->name(), s.ToString());
      all.Update(s);
    }
  }
  if (all.ok()) {
    absl::MutexLock lock(&mu_);
    anchored_seq_ = head.seq;
  }
  return all;
}

absl::StatusOr<std::vector<Anchor>> Anchoring::Gather() const {
  std::vector<Anchor> all;
  for (AnchorStore* store : stores_) {
    absl::StatusOr<std::vector<Anchor>> got = store->Read(log_.log_id());
    if (!got.ok()) {
      return absl::UnavailableError(absl::StrCat("cannot read the anchors in ", store->name(), ": ", got.status().message()));
    }
    all.insert(all.end(), got->begin(), got->end());
  }
  return all;
}

}  // namespace homeward::aggregator
