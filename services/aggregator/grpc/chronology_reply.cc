#include "services/aggregator/grpc/chronology_reply.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <deque>

#include "absl/hash/hash.h"
#include "absl/strings/str_split.h"
#include "common/domain/agency_registry.h"
#include "homeward/v1/chronology_service.pb.h"
#include "services/aggregator/grpc/conversions.h"

namespace homeward::aggregator {

std::shared_ptr<const EncodedEntry> EntryWireCache::Get(const ChronologyEntry& entry) {
  Shard& shard = shards_[absl::Hash<std::string>()(entry.event.event_id) % kShards];
  {
    absl::MutexLock lock(&shard.mu);
    const auto it = shard.held.find(entry.event.event_id);
    if (it != shard.held.end() && it->second->superseded_event_ids == entry.superseded_event_ids) return it->second;
  }
  auto encoded = std::make_shared<EncodedEntry>();
  v1::ChronologyEntry proto;
  ToProto(entry, &proto);
  proto.SerializeToString(&encoded->bytes);
  encoded->superseded_event_ids = entry.superseded_event_ids;
  absl::MutexLock lock(&shard.mu);
  auto [it, added] = shard.held.try_emplace(entry.event.event_id, encoded);
  if (added) {
    shard.order.push_back(entry.event.event_id);
  } else {
    shard.bytes -= it->second->bytes.size();
    it->second = encoded;
  }
  shard.bytes += encoded->bytes.size();
  while (shard.bytes > max_shard_bytes_ && shard.order.size() > 1) {
    const auto oldest = shard.held.find(shard.order.front());
    shard.bytes -= oldest->second->bytes.size();
    shard.held.erase(oldest);
    shard.order.pop_front();
  }
  return encoded;
}

size_t EntryWireCache::bytes() const {
  size_t total = 0;
  for (const Shard& shard : shards_) {
    absl::MutexLock lock(&shard.mu);
    total += shard.bytes;
  }
  return total;
}

namespace {

// Whether a mask can touch the entry: its agency kind matches (or the mask names none), and the
// field is not a payload the event does not carry. Others are sent as encoded.
bool MaskMayTouch(const access::MaskRule& mask, const Event& event) {
  if (!mask.agency_kind.empty() && mask.agency_kind != AgencyKindName(event.agency_kind)) return false;
  const absl::string_view field = mask.field;
  const absl::string_view top = field.substr(0, field.find('.'));
  return !ParseRecordType(top).ok() || top == RecordTypeName(event.payload.index());
}

constexpr int kEntriesField = v1::GetChronologyResponse::kEntriesFieldNumber;

size_t FieldSize(size_t bytes) {
  return google::protobuf::io::CodedOutputStream::VarintSize32(
             google::protobuf::internal::WireFormatLite::MakeTag(kEntriesField,
                                                                 google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED)) +
         google::protobuf::io::CodedOutputStream::VarintSize32(static_cast<uint32_t>(bytes)) + bytes;
}

}  // namespace

ChronologyReply AssembleChronologyReply(const ChronologyPage& head, absl::Span<const ChronologyEntry* const> entries,
                                        EntryWireCache& cache, const std::vector<access::MaskRule>& masks,
                                        const access::Principal& reader, size_t max_bytes) {
  ChronologyReply reply;
  v1::GetChronologyResponse top;
  ToProto(head, &top);  // the head: child id, identifiers, counts, token
  std::deque<std::string> masked_bytes;  // re-encoded entries (a deque: `parts` points into them)
  std::vector<absl::string_view> parts;
  parts.reserve(entries.size());
  std::vector<std::shared_ptr<const EncodedEntry>> held;
  held.reserve(entries.size());
  size_t bytes = top.ByteSizeLong();
  for (const ChronologyEntry* entry : entries) {
    std::shared_ptr<const EncodedEntry> encoded = cache.Get(*entry);
    absl::string_view part = encoded->bytes;
    if (std::any_of(masks.begin(), masks.end(), [&](const access::MaskRule& m) { return MaskMayTouch(m, entry->event); })) {
      v1::ChronologyEntry proto;
      proto.ParseFromString(encoded->bytes);
      const std::vector<std::string> withheld = MaskEntry(masks, reader, proto);
      if (!withheld.empty()) {
        reply.withheld.insert(withheld.begin(), withheld.end());
        part = masked_bytes.emplace_back(proto.SerializeAsString());
      }
    }
    // Room for this entry, and for a token after it should the next one not fit.
    const size_t token_room = 32 + entry->event.event_id.size();
    if (!parts.empty() && bytes + FieldSize(part.size()) + token_room > max_bytes) {
      top.set_next_page_token(ChronologyPageToken(*entries[parts.size() - 1]));
      break;
    }
    bytes += FieldSize(part.size());
    parts.push_back(part);
    held.push_back(std::move(encoded));
  }
  reply.entries = static_cast<int>(parts.size());
  top.SerializeToString(&reply.bytes);
  google::protobuf::io::StringOutputStream stream(&reply.bytes);
  {
    google::protobuf::io::CodedOutputStream out(&stream);
    for (absl::string_view part : parts) {
      out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
          kEntriesField, google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
      out.WriteVarint32(static_cast<uint32_t>(part.size()));
      out.WriteRaw(part.data(), static_cast<int>(part.size()));
    }
  }
  return reply;
}

}  // namespace homeward::aggregator
