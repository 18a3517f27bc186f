#include "services/aggregator/domain/identity_index.h"

#include <algorithm>

namespace homeward::aggregator {

std::string IdentityIndex::Root(const std::string& id) const {
  std::string root = id;
  while (true) {
    const std::string& up = parent_.at(root);
    if (up == root) break;
    root = up;
  }
  // Path compression: point everything on the way straight at the root.
  std::string walk = id;
  while (walk != root) {
    std::string next = parent_.at(walk);
    parent_[walk] = root;
    walk = std::move(next);
  }
  return root;
}

IdentityIndex::LinkResult IdentityIndex::Link(const std::vector<std::string>& identifiers) {
  std::vector<std::string> roots;
  for (const std::string& id : identifiers) {
    if (!parent_.contains(id)) {
      parent_[id] = id;
      members_[id] = {id};
    }
    roots.push_back(Root(id));
  }
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  LinkResult result{.child_id = roots.front()};
  std::vector<std::string>& into = members_[result.child_id];
  for (size_t i = 1; i < roots.size(); ++i) {
    parent_[roots[i]] = result.child_id;
    auto& from = members_[roots[i]];
    into.insert(into.end(), from.begin(), from.end());
    members_.erase(roots[i]);
  }
  std::sort(into.begin(), into.end());
  result.merged_ids.assign(roots.begin() + 1, roots.end());
  return result;
}

std::optional<std::string> IdentityIndex::Find(const std::string& identifier) const {
  if (!parent_.contains(identifier)) return std::nullopt;
  return Root(identifier);
}

std::vector<std::string> IdentityIndex::Members(const std::string& child_id) const {
  const auto it = members_.find(child_id);
  return it == members_.end() ? std::vector<std::string>{} : it->second;
}

}  // namespace homeward::aggregator
