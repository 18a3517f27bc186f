// File: identity_index.h
//
// Which identifiers belong to the same child. Records that share a strong identifier (NHS
// number, LA child id, police person id, UPN) are linked transitively (brief feature table
// row 1); a child's id is the smallest identifier in its linked set, so it depends only on the
// set, never on the order in which records arrived.
//
// Weak evidence (name + date of birth) never links here: probable matches for a coordinator to
// confirm are the issue "the shared chronology" (point 2).
//
// Thread safety: not thread-safe; ChronologyStore guards it.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_INDEX_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_INDEX_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace homeward::aggregator {

class IdentityIndex {
 public:
  struct LinkResult {
    std::string child_id;                 // the linked set's id after linking
    std::vector<std::string> merged_ids;  // other set ids joined into `child_id` (now gone)
  };

  // Links `identifiers` (written "<scheme>:<value>"; non-empty) into one set, joining any sets
  // they already belong to.
  LinkResult Link(const std::vector<std::string>& identifiers);

  // The child id of the set holding `identifier`, or nullopt if no record has named it.
  std::optional<std::string> Find(const std::string& identifier) const;

  // Every identifier in the set whose child id is `child_id`, sorted.
  std::vector<std::string> Members(const std::string& child_id) const;

 private:
  std::string Root(const std::string& id) const;

  // Union-find with the smallest identifier as each set's root.
  mutable absl::flat_hash_map<std::string, std::string> parent_;
  absl::flat_hash_map<std::string, std::vector<std::string>> members_;  // by root
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_INDEX_H_
