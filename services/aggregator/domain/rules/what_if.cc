#include "services/aggregator/domain/rules/what_if.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/alerts.h"
#include "services/aggregator/domain/chronology_store.h"
#include "services/aggregator/domain/rules/catalog.h"

namespace homeward::aggregator::rules {
namespace {

// An alert a rule set raised during the replay: first raised at `raised_at`.
struct Raised {
  ChildId child_id;
  std::string rule_id;
  std::string severity;
  std::vector<std::string> authorities;
  std::string anchor;  // one of its anchor events: which child it is about after later links
  absl::Time raised_at;
};

// One rule set's side of the replay.
class Side {
 public:
  explicit Side(const RuleSet& rules) : rules_(rules) {}

  // Evaluates the child at `now`; returns when it must be evaluated again (a time rule falling
  // due, or an alert settling), if ever.
  std::optional<absl::Time> Evaluate(const ChildFacts& child, absl::Time now, std::optional<absl::Time> last_arrival) {
    const EvaluationContext context{.last_arrival = last_arrival};
    std::optional<absl::Time> again = NextDue(rules_, child, now);
    const auto sooner = [&](absl::Time t) {
      if (!again || t < *again) again = t;
    };
    for (Alert& due : EvaluateRules(rules_, child, now)) {
      if (raised_.contains(due.alert_id)) continue;
      if (RaiseNow(rules_, due, now, context)) {
        raised_.emplace(due.alert_id, Raised{.child_id = child.child_id,
                                             .rule_id = due.rule_id,
                                             .severity = due.severity,
                                             .authorities = std::move(due.authorities),
                                             .anchor = due.anchor_event_ids.empty() ? "" : due.anchor_event_ids.front(),
                                             .raised_at = now});
      } else if (const std::optional<absl::Time> until = SettlingUntil(rules_, due, now, context)) {
        sooner(*until);
      }
    }
    return again;
  }

  // The alerts first raised in [from, to), each under the child its records now belong to.
  std::vector<Raised> InPeriod(absl::Time from, absl::Time to, const ChronologyStore& store) const {
    std::vector<Raised> out;
    for (const auto& [id, r] : raised_) {
      if (r.raised_at < from || r.raised_at >= to) continue;
      Raised now = r;
      if (std::optional<ChildId> child = store.ChildOfEvent(r.anchor)) now.child_id = *child;
      out.push_back(std::move(now));
    }
    return out;
  }

 private:
  const RuleSet& rules_;
  std::map<std::string, Raised> raised_;  // by alert id: each occasion once
};

std::optional<absl::Duration> Median(std::vector<absl::Duration> shifts) {
  if (shifts.empty()) return std::nullopt;
  std::sort(shifts.begin(), shifts.end());
  const size_t n = shifts.size();
  return n % 2 == 1 ? shifts[n / 2] : (shifts[n / 2 - 1] + shifts[n / 2]) / 2;
}

// Each child's first alert among `alerts` that `keep` accepts.
std::map<ChildId, const Raised*> FirstByChild(const std::vector<Raised>& alerts,
                                               const std::function<bool(const Raised&)>& keep) {
  std::map<ChildId, const Raised*> first;
  for (const Raised& r : alerts) {
    if (!keep(r)) continue;
    auto [it, inserted] = first.emplace(r.child_id, &r);
    if (!inserted && std::tie(r.raised_at, r.rule_id) < std::tie(it->second->raised_at, it->second->rule_id)) {
      it->second = &r;
    }
  }
  return first;
}

struct Shifts {
  int both = 0, earlier = 0, later = 0, same = 0;
  std::optional<absl::Duration> median;
};

Shifts Compare(const std::map<ChildId, const Raised*>& shipped, const std::map<ChildId, const Raised*>& proposed) {
  Shifts s;
  std::vector<absl::Duration> shifts;
  for (const auto& [child, a] : shipped) {
    const auto b = proposed.find(child);
    if (b == proposed.end()) continue;
    const absl::Duration d = b->second->raised_at - a->raised_at;
    ++s.both;
    (d < absl::ZeroDuration() ? s.earlier : d > absl::ZeroDuration() ? s.later : s.same)++;
    shifts.push_back(d);
  }
  s.median = Median(std::move(shifts));
  return s;
}

std::vector<ChildDifference> OnlyIn(const std::map<ChildId, const Raised*>& one,
                                    const std::map<ChildId, const Raised*>& other) {
  std::vector<ChildDifference> out;
  for (const auto& [child, r] : one) {
    if (other.contains(child)) continue;
    out.push_back({.child_id = child, .authorities = r->authorities, .rule_id = r->rule_id, .first_alert = r->raised_at});
  }
  return out;
}

// The replay: events in recording order, each moment's children evaluated under both sets, and
// the timers both sets ask for.
class Replay {
 public:
  Replay(const RuleSet& shipped, const RuleSet& proposed, const WhatIfRequest& request)
      : store_(request.episodes), shipped_(shipped), proposed_(proposed), to_(std::min(request.to, request.now)) {}

  void Run(std::vector<Event> events) {
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return std::tie(a.recorded_at, a.event_id) < std::tie(b.recorded_at, b.event_id); });
    for (size_t i = 0; i < events.size();) {
      const absl::Time moment = events[i].recorded_at;
      RunTimersBefore(moment);
      std::set<ChildId> touched;
      for (; i < events.size() && events[i].recorded_at == moment; ++i) {
        store_.Apply(events[i], moment);
        for (ChildId& child : store_.ChildrenOf(events[i])) {
          last_arrival_[child] = moment;
          touched.insert(std::move(child));
        }
      }
      for (const ChildId& child : touched) Evaluate(child, moment);
    }
    RunTimersBefore(to_);
  }

  const ChronologyStore& store() const { return store_; }
  const Side& shipped() const { return shipped_; }
  const Side& proposed() const { return proposed_; }

 private:
  void RunTimersBefore(absl::Time t) {
    while (!timers_.empty() && timers_.begin()->first < t) {
      const auto [at, child] = *timers_.begin();
      timers_.erase(timers_.begin());
      Evaluate(child, at);
    }
  }

  void Evaluate(const ChildId& child, absl::Time now) {
    absl::StatusOr<ChildFacts> facts = store_.Facts(child.value());
    if (!facts.ok()) return;  // linked into another child since: evaluated under that id
    const auto arrival = last_arrival_.find(child);
    const std::optional<absl::Time> last =
        arrival == last_arrival_.end() ? std::nullopt : std::optional<absl::Time>(arrival->second);
    for (Side* side : {&shipped_, &proposed_}) {
      if (const std::optional<absl::Time> again = side->Evaluate(*facts, now, last); again && *again < to_) {
        timers_.insert({*again, facts->child_id});
      }
    }
  }

  ChronologyStore store_;
  Side shipped_;
  Side proposed_;
  const absl::Time to_;
  std::set<std::pair<absl::Time, ChildId>> timers_;
  std::map<ChildId, absl::Time> last_arrival_;
};

}  // namespace

absl::StatusOr<WhatIfResult> RunWhatIf(reports::EventHistory& history, const RuleSet& shipped, const RuleSet& proposed,
                                       const WhatIfRequest& request) {
  if (request.from >= request.to) return absl::InvalidArgumentError("the period is empty: `from` must be before `to`");
  if (request.to - request.from > kMaxWhatIfPeriod) {
    return absl::InvalidArgumentError(absl::StrCat("the period is longer than ", kMaxWhatIfPeriod / absl::Hours(24),
                                                   " days: run it in parts"));
  }
  const absl::Time end = std::min(request.to, request.now);
  std::vector<Event> events;
  if (absl::Status read = history.ForEachEvent([&](const Event& e) {
        if (e.recorded_at < end) events.push_back(e);
      });
      !read.ok()) {
    return read;
  }
  WhatIfResult result{.from = request.from, .to = request.to, .replayed_to = end, .events_replayed = events.size()};
  result.changes = DiffRuleSets(shipped, proposed);

  Replay replay(shipped, proposed, request);
  replay.Run(std::move(events));
  const std::vector<Raised> a = replay.shipped().InPeriod(request.from, end, replay.store());
  const std::vector<Raised> b = replay.proposed().InPeriod(request.from, end, replay.store());

  for (const RuleDefinition* definition : Registry()) {
    RuleComparison row{.rule_id = definition->id,
                       .in_force = shipped.Find(definition->id) != nullptr,
                       .proposed = proposed.Find(definition->id) != nullptr};
    if (!row.in_force && !row.proposed) continue;
    const auto of_rule = [&](const Raised& r) { return r.rule_id == definition->id; };
    row.shipped_alerts = static_cast<int>(std::count_if(a.begin(), a.end(), of_rule));
    row.proposed_alerts = static_cast<int>(std::count_if(b.begin(), b.end(), of_rule));
    const auto first_a = FirstByChild(a, of_rule);
    const auto first_b = FirstByChild(b, of_rule);
    row.shipped_children = static_cast<int>(first_a.size());
    row.proposed_children = static_cast<int>(first_b.size());
    const Shifts s = Compare(first_a, first_b);
    row.both_children = s.both;
    row.earlier = s.earlier;
    row.later = s.later;
    row.same = s.same;
    row.median_shift = s.median;
    result.rules.push_back(std::move(row));
  }

  const auto meeting = [](const Raised& r) { return r.severity == "strategy meeting"; };
  const auto meetings_a = FirstByChild(a, meeting);
  const auto meetings_b = FirstByChild(b, meeting);
  result.shipped_meeting_children = static_cast<int>(meetings_a.size());
  result.proposed_meeting_children = static_cast<int>(meetings_b.size());
  const Shifts s = Compare(meetings_a, meetings_b);
  result.meeting_earlier = s.earlier;
  result.meeting_later = s.later;
  result.meeting_median_shift = s.median;
  result.meeting_only_shipped = OnlyIn(meetings_a, meetings_b);
  result.meeting_only_proposed = OnlyIn(meetings_b, meetings_a);
  return result;
}

}  // namespace homeward::aggregator::rules
