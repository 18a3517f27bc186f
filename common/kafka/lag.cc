#include "common/kafka/lag.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/json/json.h"

namespace homeward::kafka {

std::string EncodePosition(const ReaderPosition& p) {
  json::ObjectWriter w;
  w.Set("reader", p.reader).Set("at_us", absl::ToUnixMicros(p.at));
  for (const auto& [tp, next] : p.next) w.Set(absl::StrCat(tp.topic, "/", tp.partition), next);
  return w.Dump();
}

absl::StatusOr<ReaderPosition> DecodePosition(absl::string_view text) {
  absl::StatusOr<json::Document> doc = json::Document::Parse(text);
  if (!doc.ok()) return doc.status();
  ReaderPosition p;
  absl::StatusOr<std::string> reader = doc->root().String("reader");
  absl::StatusOr<int64_t> at = doc->root().Integer("at_us");
  if (!reader.ok()) return reader.status();
  if (!at.ok()) return at.status();
  p.reader = *reader;
  p.at = absl::FromUnixMicros(*at);
  for (const auto& [key, value] : doc->root().Members()) {
    const size_t slash = key.rfind('/');
    int32_t partition = 0;
    if (slash == std::string::npos || !absl::SimpleAtoi(key.substr(slash + 1), &partition)) continue;
    absl::StatusOr<int64_t> next = value.AsInteger();
    if (!next.ok()) return next.status();
    p.next[TopicPartition{key.substr(0, slash), partition}] = *next;
  }
  return p;
}

LagVerdict JudgeLag(const NextOffsets& high, const std::map<std::string, ReaderPosition>& positions,
                    double average_message_bytes, const LagBudget& budget) {
  LagVerdict verdict;
  if (budget.max_unread_bytes <= 0) return verdict;
  for (const std::string& reader : budget.readers) {
    const auto pos = positions.find(reader);
    for (const auto& [tp, end] : high) {
      int64_t next = 0;
      if (pos != positions.end()) {
        const auto it = pos->second.next.find(tp);
        if (it != pos->second.next.end()) next = it->second;
      }
      const int64_t unread = static_cast<int64_t>(static_cast<double>(std::max<int64_t>(0, end - next)) * average_message_bytes);
      if (unread > verdict.worst_unread_bytes) {
        verdict.worst_unread_bytes = unread;
        verdict.worst = absl::StrCat(reader, " is ", end - next, " records (about ", unread / 1024, " KiB) behind on ",
                                     tp.topic, "/", tp.partition,
                                     pos == positions.end() ? " (it has published no position yet)" : "");
      }
    }
  }
  verdict.room = verdict.worst_unread_bytes <= budget.max_unread_bytes;
  return verdict;
}

}  // namespace homeward::kafka
