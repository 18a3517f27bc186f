// File: identity_graph.h
//
// Which identifiers belong to the same child (brief feature table row 1; audit rec. 6e).
//
// Two identifiers are linked when the current revision of some record names both (records
// sharing a strong identifier: NHS number, LA child id, police person id, UPN), or when a
// coordinator's latest decision on that pair is LINK (a confirmed probable match). Weak evidence
// (name + date of birth) never links here; it only proposes (ChronologyStore::ProbableMatches).
// A child is a connected set of identifiers, and its id is the smallest identifier in the set,
// so it depends only on the set: never on the order in which records or decisions arrived.
//
// Thread safety: not thread-safe; ChronologyStore guards it.
#ifndef HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_GRAPH_H_
#define HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_GRAPH_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "services/aggregator/domain/child_id.h"

namespace homeward::aggregator {

class IdentityGraph {
 public:
  // A record facet's current revision names `identifiers` (non-empty, the first first). The
  // graph keeps how many facets name each identifier and each link, not the facets themselves
  // (the chronology has them): a facet costs nothing here once its identifiers are known.
  void AddFacet(const std::vector<std::string>& identifiers);
  // A facet named `before` and now names `after` (an amended record may correct an identifier).
  void ReplaceFacet(const std::vector<std::string>& before, const std::vector<std::string>& after);

  // A coordinator's decision on a pair. For each pair the latest decision stands, ordered by
  // (`at`, `decision_id`), whatever order decisions arrive in.
  void Decide(const std::string& a, const std::string& b, bool link, absl::Time at, const std::string& decision_id);

  // The child id of the set holding `identifier`, or nullopt if nothing has named it.
  std::optional<ChildId> Find(const std::string& identifier) const;

  // Every identifier of child `child_id`, sorted; empty if it is not a child id.
  std::vector<std::string> Members(const ChildId& child_id) const;

  // Retention purge: drops one record facet (what its current revision names), or the decision
  // on a pair if `decision_id` is the one standing (a later decision on the pair is kept).
  void RemoveFacet(const std::vector<std::string>& identifiers);
  void RemoveDecision(const std::string& a, const std::string& b, const std::string& decision_id);

  // True when the standing decision on some pair (x in child a, y in child b) is SEPARATE.
  bool KeptSeparate(const ChildId& child_a, const ChildId& child_b) const;

  // Brings the derived sets up to date after a removal. Reads do it themselves when needed, and
  // then write; a graph read from several threads at once (ChronologyStore, under a reader lock)
  // must be settled by its writer after each change, so that reads never write.
  void Settle() const { RebuildIfDirty(); }

 private:
  struct Decision {
    bool link = false;
    absl::Time at;
    std::string id;
  };

  void Union(const std::string& a, const std::string& b) const;
  std::string Root(const std::string& id) const;  // with path compression: writers only
  const std::string& RootOf(const std::string& id) const;  // no writes
  void AddNode(const std::string& id) const;
  void RebuildIfDirty() const;

  // How many current facets name each identifier, and each link a facet makes (its first
  // identifier with each other one).
  absl::flat_hash_map<std::string, int> named_;
  absl::flat_hash_map<std::pair<std::string, std::string>, int> links_;
  // (smaller, larger) identifier -> standing decision.
  absl::flat_hash_map<std::pair<std::string, std::string>, Decision> decisions_;

  // Derived: union-find over the edges above, smallest identifier at each root. Rebuilt from
  // scratch when an edge goes away (rare); extended in place when one is added.
  mutable absl::flat_hash_map<std::string, std::string> parent_;
  mutable absl::flat_hash_map<std::string, std::vector<std::string>> members_;
  mutable bool dirty_ = false;
};

}  // namespace homeward::aggregator

#endif  // HOMEWARD_SERVICES_AGGREGATOR_DOMAIN_IDENTITY_GRAPH_H_
