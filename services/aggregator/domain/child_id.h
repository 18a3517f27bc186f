// File: child_id.h
//
// A child's id: the identifier the hub files a child's records under (the smallest of the
// identifiers linked as one child, IdentityGraph), as resolved by the chronology. A type of its
// own, so that a resolved child cannot be passed where a caller's reference ("a child id or any
// identifier", still to be resolved), an event id or an authority is expected, or the reverse;
// it is made only by resolving (ChronologyStore, IdentityGraph) or, explicitly, from what
// another replica or the alerts topic already resolved.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_ID_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_ID_H_

#include <compare>
#include <ostream>
#include <string>
#include <utility>

namespace homeward::aggregator {

class ChildId {
 public:
  ChildId() = default;  // none: an alert about the hub itself
  explicit ChildId(std::string value) : value_(std::move(value)) {}

  const std::string& value() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend bool operator==(const ChildId&, const ChildId&) = default;
  friend std::strong_ordering operator<=>(const ChildId&, const ChildId&) = default;

  template <typename H>
  friend H AbslHashValue(H h, const ChildId& id) {
    return H::combine(std::move(h), id.value_);
  }
  friend std::ostream& operator<<(std::ostream& os, const ChildId& id) { return os << id.value_; }

 private:
  std::string value_;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_CHILD_ID_H_
