// File: reply_limit.h
//
// Every reply of the hub stays within limits::kMaxReplyBytes (docs/limits.md): a page of a list
// ends early, and its page token goes on from the last item kept.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPLY_LIMIT_H_
#define HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPLY_LIMIT_H_

#include <google/protobuf/repeated_ptr_field.h>

#include <cstddef>

#include "common/domain/limits.h"

namespace homeward::aggregator {

// How many leading items of `items` fit, with the rest of a reply of `reply_bytes` in all,
// within limits::kMaxReplyBytes; at least one.
template <typename T>
int KeepWithin(const google::protobuf::RepeatedPtrField<T>& items, size_t reply_bytes) {
  if (reply_bytes <= limits::kMaxReplyBytes) return items.size();
  size_t listed = 0;
  for (const T& item : items) listed += item.ByteSizeLong() + 4;  // with its tag and length
  size_t bytes = reply_bytes > listed ? reply_bytes - listed : 0;  // the rest of the reply
  int kept = 0;
  for (const T& item : items) {
    bytes += item.ByteSizeLong() + 4;
    if (kept > 0 && bytes > limits::kMaxReplyBytes) break;
    ++kept;
  }
  return kept;
}

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_GRPC_REPLY_LIMIT_H_
