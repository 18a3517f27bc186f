#include "services/aggregator/domain/identity_graph.h"

#include <algorithm>
#include <tuple>

namespace homeward::aggregator {

void IdentityGraph::AddNode(const std::string& id) const {
  if (parent_.contains(id)) return;
  parent_[id] = id;
  members_[id] = {id};
}

std::string IdentityGraph::Root(const std::string& id) const {
  std::string root = id;
  while (parent_.at(root) != root) root = parent_.at(root);
  for (std::string walk = id; walk != root;) {  // path compression
    std::string next = parent_.at(walk);
    parent_[walk] = root;
    walk = std::move(next);
  }
  return root;
}

const std::string& IdentityGraph::RootOf(const std::string& id) const {
  const std::string* at = &id;
  for (const std::string* up = &parent_.at(*at); *up != *at; up = &parent_.at(*at)) at = up;
  return *at;
}

void IdentityGraph::Union(const std::string& a, const std::string& b) const {
  AddNode(a);
  AddNode(b);
  std::string ra = Root(a), rb = Root(b);
  if (ra == rb) return;
  if (rb < ra) std::swap(ra, rb);  // the smaller identifier stays the root
  parent_[rb] = ra;
  auto& into = members_[ra];
  auto& from = members_[rb];
  const size_t middle = into.size();
  into.insert(into.end(), from.begin(), from.end());
  std::inplace_merge(into.begin(), into.begin() + middle, into.end());
  members_.erase(rb);
}

void IdentityGraph::RebuildIfDirty() const {
  if (!dirty_) return;
  dirty_ = false;
  parent_.clear();
  members_.clear();
  for (const auto& [id, facets] : named_) AddNode(id);
  for (const auto& [pair, facets] : links_) Union(pair.first, pair.second);
  for (const auto& [pair, decision] : decisions_) {
    AddNode(pair.first);
    AddNode(pair.second);
    if (decision.link) Union(pair.first, pair.second);
  }
}

void IdentityGraph::AddFacet(const std::vector<std::string>& identifiers) {
  for (const std::string& id : identifiers) ++named_[id];
  for (size_t i = 1; i < identifiers.size(); ++i) ++links_[{identifiers.front(), identifiers[i]}];
  if (!dirty_) {
    AddNode(identifiers.front());
    for (size_t i = 1; i < identifiers.size(); ++i) Union(identifiers.front(), identifiers[i]);
  }
}

void IdentityGraph::ReplaceFacet(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  AddFacet(after);  // first: what both name never drops to no facet on the way
  RemoveFacet(before);
}

void IdentityGraph::Decide(const std::string& a, const std::string& b, bool link, absl::Time at,
                           const std::string& decision_id) {
  const auto key = a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  auto it = decisions_.find(key);
  if (it != decisions_.end() && std::tie(it->second.at, it->second.id) > std::tie(at, decision_id)) {
    return;  // a later decision on this pair already stands
  }
  const bool was_link = it != decisions_.end() && it->second.link;
  decisions_[key] = Decision{link, at, decision_id};
  if (was_link && !link) {
    dirty_ = true;
  } else if (!dirty_) {
    AddNode(key.first);
    AddNode(key.second);
    if (link) Union(key.first, key.second);
  }
}

std::optional<ChildId> IdentityGraph::Find(const std::string& identifier) const {
  RebuildIfDirty();
  if (!parent_.contains(identifier)) return std::nullopt;
  return ChildId(RootOf(identifier));
}

std::vector<std::string> IdentityGraph::Members(const ChildId& child_id) const {
  RebuildIfDirty();
  const auto it = members_.find(child_id.value());
  return it == members_.end() ? std::vector<std::string>{} : it->second;
}

void IdentityGraph::RemoveFacet(const std::vector<std::string>& identifiers) {
  // Only an identifier or a link no facet names any more changes the sets (they may split).
  const auto drop = [this](auto& counts, const auto& key) {
    const auto it = counts.find(key);
    if (it == counts.end()) return;
    if (--it->second == 0) {
      counts.erase(it);
      dirty_ = true;
    }
  };
  for (const std::string& id : identifiers) drop(named_, id);
  for (size_t i = 1; i < identifiers.size(); ++i) drop(links_, std::make_pair(identifiers.front(), identifiers[i]));
}

void IdentityGraph::RemoveDecision(const std::string& a, const std::string& b, const std::string& decision_id) {
  const auto it = decisions_.find(a < b ? std::make_pair(a, b) : std::make_pair(b, a));
  if (it == decisions_.end() || it->second.id != decision_id) return;
  decisions_.erase(it);
  dirty_ = true;
}

bool IdentityGraph::KeptSeparate(const ChildId& child_a, const ChildId& child_b) const {
  RebuildIfDirty();
  const std::string &a = child_a.value(), &b = child_b.value();
  for (const auto& [pair, decision] : decisions_) {
    if (decision.link) continue;
    const std::string &ra = RootOf(pair.first), &rb = RootOf(pair.second);
    if ((ra == a && rb == b) || (ra == b && rb == a)) return true;
  }
  return false;
}

}  // namespace homeward::aggregator
