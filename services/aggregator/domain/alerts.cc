#include "services/aggregator/domain/alerts.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace homeward::aggregator {
namespace {

absl::Duration Days(double d) { return absl::Hours(24 * d); }
absl::Duration Hours(double h) { return absl::Seconds(3600 * h); }

std::vector<std::string> SourceEvents(const Episode& e) {
  std::vector<std::string> ids;
  for (const auto& s : e.sources) ids.insert(ids.end(), s.event_ids.begin(), s.event_ids.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string When(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }

// The latest placement recorded at or before `at`.
const PlacementChanged* PlacementAt(const ChildFacts& child, absl::Time at) {
  const PlacementChanged* found = nullptr;
  for (const ChronologyEntry& e : child.entries) {
    if (e.event.occurred_at > at) break;
    if (const auto* p = std::get_if<PlacementChanged>(&e.event.payload)) found = p;
  }
  return found;
}

std::optional<absl::CivilDay> DateOfBirth(const ChildFacts& child) {
  std::optional<absl::CivilDay> dob;
  absl::Time at = absl::InfinitePast();
  for (const ChronologyEntry& e : child.entries) {
    if (e.event.child.date_of_birth && e.event.recorded_at >= at) {
      dob = e.event.child.date_of_birth;
      at = e.event.recorded_at;
    }
  }
  return dob;
}

int AgeOn(absl::CivilDay dob, absl::CivilDay day) {
  int age = static_cast<int>(day.year() - dob.year());
  if (std::make_tuple(day.month(), day.day()) < std::make_tuple(dob.month(), dob.day())) --age;
  return age;
}

bool InterviewInTime(const Episode& e, absl::Time due) {
  for (const InterviewStatus& i : e.interviews) {
    const bool counts = i.outcome == InterviewOutcome::kCompleted || i.outcome == InterviewOutcome::kDeclined;
    if (counts && i.at <= due) return true;
  }
  return false;
}

// Builds alerts with the rule's configuration and the child's routing.
class Raiser {
 public:
  Raiser(const RuleSet& rules, const ChildFacts& child, absl::Time now) : rules_(rules), child_(child), now_(now) {
    if (const PlacementChanged* p = PlacementAt(child, absl::InfiniteFuture()); p && !p->placing_authority.empty()) {
      authorities_ = {p->placing_authority};
    } else {
      authorities_ = {rules.default_authority};
    }
  }

  void Raise(const RuleConfig& rule, const std::string& cause, absl::Time trigger_time, std::vector<std::string> causes,
             std::string reason, std::vector<std::string> authorities = {}, std::vector<std::string> anchor = {}) {
    if (trigger_time < now_ - rules_.alert_horizon) return;  // history, not a call to act now
    Alert a;
    a.alert_id = absl::StrCat(rule.id, ":", cause);
    a.child_id = child_.child_id;
    a.rule_id = rule.id;
    a.rule_version = rule.version;
    a.severity = rule.severity;
    a.cause_event_ids = std::move(causes);
    a.recommended_action = rule.recommended_action;
    a.team = rule.team;
    a.authorities = authorities.empty() ? authorities_ : std::move(authorities);
    a.raised_at = now_;
    a.triggered_by_event_time = trigger_time;
    a.reason = std::move(reason);
    a.anchor_event_ids = anchor.empty() ? a.cause_event_ids : std::move(anchor);
    std::sort(a.anchor_event_ids.begin(), a.anchor_event_ids.end());
    alerts.push_back(std::move(a));
  }

  std::vector<Alert> alerts;

 private:
  const RuleSet& rules_;
  const ChildFacts& child_;
  const absl::Time now_;
  std::vector<std::string> authorities_;
};

// Episodes starting within `window` up to and including episodes[k].
std::vector<const Episode*> Window(const std::vector<Episode>& episodes, size_t k, absl::Duration window) {
  std::vector<const Episode*> in;
  for (size_t j = 0; j <= k; ++j) {
    if (episodes[j].start >= episodes[k].start - window) in.push_back(&episodes[j]);
  }
  return in;
}

}  // namespace

const std::map<std::string, std::vector<std::string>>& KnownRules() {
  static const auto* rules = new std::map<std::string, std::vector<std::string>>{
      {"repeat-missing", {"count", "window_days"}},
      {"long-missing", {"hours"}},
      {"high-risk", {}},
      {"young-child", {"max_age"}},
      {"exploitation", {}},
      {"rhi-overdue", {"hours"}},
      {"trigger-plan-missing", {}},
      {"normalised-risk", {"count", "window_days"}},
      {"category-mismatch", {}},  // the tolerance is the episode reconciliation's (2 h)
      {"out-of-area", {}},
      {"early-help", {}},
      {"impossible-times", {}},  // an episode whose return is dated before its start
      {"log-gap", {}},           // raised by the ingestor, not from a child's records
  };
  return *rules;
}

std::vector<Alert> EvaluateRules(const RuleSet& rules, const ChildFacts& child, absl::Time now) {
  Raiser raiser(rules, child, now);
  const auto& episodes = child.episodes;

  if (const RuleConfig* r = rules.Find("repeat-missing")) {
    const int n = static_cast<int>(r->params.at("count"));
    const absl::Duration window = Days(r->params.at("window_days"));
    for (size_t k = 0; k < episodes.size(); ++k) {
      const auto in = Window(episodes, k, window);
      if (static_cast<int>(in.size()) < n) continue;
      std::vector<std::string> causes;
      for (const Episode* e : in) {
        const auto ids = SourceEvents(*e);
        causes.insert(causes.end(), ids.begin(), ids.end());
      }
      raiser.Raise(*r, episodes[k].episode_id, episodes[k].start, causes,
                   absl::StrCat(in.size(), " episodes within ", r->params.at("window_days"), " days, the latest starting ",
                                When(episodes[k].start)),
                   {}, SourceEvents(episodes[k]));
    }
  }
  if (const RuleConfig* r = rules.Find("long-missing")) {
    const absl::Duration h = Hours(r->params.at("hours"));
    for (const Episode& e : episodes) {
      if (e.impossible_times) continue;  // rule impossible-times
      const absl::Time due = e.start + h;
      if (now >= due && e.end.value_or(now) - e.start >= h) {
        raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e),
                     absl::StrCat(e.end ? "missing for " : "still missing after ", FormatSpan(e.end.value_or(now) - e.start),
                                  " (threshold ", r->params.at("hours"), " h), from ", When(e.start)));
      }
    }
  }
  if (const RuleConfig* r = rules.Find("high-risk")) {
    for (const Episode& e : episodes) {
      if (e.highest_grade == RiskGrade::kHigh) {
        raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e), absl::StrCat("graded high risk during the episode from ", When(e.start)));
      }
    }
  }
  if (const RuleConfig* r = rules.Find("young-child")) {
    if (const auto dob = DateOfBirth(child)) {
      const int max_age = static_cast<int>(r->params.at("max_age"));
      for (const Episode& e : episodes) {
        const int age = AgeOn(*dob, absl::ToCivilDay(e.start, absl::UTCTimeZone()));
        if (age <= max_age) {
          raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e),
                       absl::StrCat("aged ", age, " when the episode began (", When(e.start), ")"));
        }
      }
    }
  }
  if (const RuleConfig* r = rules.Find("exploitation")) {
    for (const ChronologyEntry& e : child.entries) {
      std::string what;
      if (const auto* x = std::get_if<ExploitationConcern>(&e.event.payload)) {
        what = absl::StrCat(ToString(x->type), x->indicator.empty() ? "" : " (", x->indicator, x->indicator.empty() ? "" : ")");
      } else if (const auto* i = std::get_if<ReturnInterview>(&e.event.payload); i && !i->exploitation_indicators.empty()) {
        what = absl::StrCat("indicators in a return interview: ", i->exploitation_indicators.front());
      }
      if (what.empty()) continue;
      raiser.Raise(*r, FacetKey(e.event), e.event.occurred_at, {e.event.event_id},
                   absl::StrCat(e.event.agency_id, " recorded ", what));
    }
  }
  if (const RuleConfig* r = rules.Find("rhi-overdue")) {
    const absl::Duration h = Hours(r->params.at("hours"));
    for (const Episode& e : episodes) {
      if (!e.end || e.impossible_times) continue;
      const absl::Time due = *e.end + h;
      if (now >= due && !InterviewInTime(e, due)) {
        raiser.Raise(*r, e.episode_id, *e.end, SourceEvents(e),
                     absl::StrCat("no return home interview completed or refused within ", r->params.at("hours"),
                                  " h of the return at ", When(*e.end)));
      }
    }
  }
  if (const RuleConfig* r = rules.Find("trigger-plan-missing")) {
    for (const ChronologyEntry& e : child.entries) {
      const auto* m = std::get_if<StrategyMeetingHeld>(&e.event.payload);
      if (m == nullptr || m->trigger_plan_recorded) continue;
      raiser.Raise(*r, FacetKey(e.event), e.event.occurred_at, {e.event.event_id},
                   absl::StrCat("strategy meeting on ", When(e.event.occurred_at),
                                " recorded without a Missing from Home Assessment and Trigger Plan"));
    }
  }
  if (const RuleConfig* r = rules.Find("normalised-risk")) {
    const int n = static_cast<int>(r->params.at("count"));
    const absl::Duration window = Days(r->params.at("window_days"));
    for (size_t k = 0; k < episodes.size(); ++k) {
      const auto in = Window(episodes, k, window);
      const bool all_low = std::all_of(in.begin(), in.end(), [](const Episode* e) {
        return e->highest_grade == RiskGrade::kLow || e->highest_grade == RiskGrade::kNoApparentRisk;
      });
      if (static_cast<int>(in.size()) < n || !all_low) continue;
      std::vector<std::string> causes;
      for (const Episode* e : in) {
        const auto ids = SourceEvents(*e);
        causes.insert(causes.end(), ids.begin(), ids.end());
      }
      raiser.Raise(*r, episodes[k].episode_id, episodes[k].start, causes,
                   absl::StrCat(in.size(), " episodes within ", r->params.at("window_days"),
                                " days, every one graded low or no apparent risk"),
                   {}, SourceEvents(episodes[k]));
    }
  }
  if (const RuleConfig* r = rules.Find("category-mismatch")) {
    for (const Episode& e : episodes) {
      if (!e.categories_differ && !e.times_differ) continue;
      raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e),
                   absl::StrCat("agencies recorded the episode from ", When(e.start), " differently: ",
                                e.flags.empty() ? "" : e.flags.front()));
    }
  }
  if (const RuleConfig* r = rules.Find("impossible-times")) {
    for (const Episode& e : episodes) {
      if (!e.impossible_times) continue;
      std::string flag;
      for (const std::string& f : e.flags) {
        if (absl::StartsWith(f, "impossible times")) flag = f;
      }
      raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e), flag);
    }
  }
  if (const RuleConfig* r = rules.Find("out-of-area")) {
    for (const Episode& e : episodes) {
      const PlacementChanged* p = PlacementAt(child, e.start);
      if (p == nullptr || !p->looked_after || p->host_authority.empty() || p->host_authority == p->placing_authority) {
        continue;
      }
      raiser.Raise(*r, e.episode_id, e.start, SourceEvents(e),
                   absl::StrCat("looked-after child placed by ", p->placing_authority, " in ", p->host_authority,
                                " went missing at ", When(e.start)),
                   {p->placing_authority, p->host_authority});
    }
  }
  if (const RuleConfig* r = rules.Find("early-help"); r && !episodes.empty()) {
    const Episode& first = episodes.front();
    bool known = false;
    for (const ChronologyEntry& e : child.entries) {
      if (e.event.occurred_at > first.start) break;
      if (const auto* p = std::get_if<PlacementChanged>(&e.event.payload); p && p->social_care_open) known = true;
    }
    if (!known) {
      raiser.Raise(*r, first.episode_id, first.start, SourceEvents(first),
                   "first missing episode, and not known to children's social care");
    }
  }
  return std::move(raiser.alerts);
}

std::optional<absl::Time> NextDue(const RuleSet& rules, const ChildFacts& child, absl::Time now) {
  std::optional<absl::Time> next;
  const auto consider = [&](absl::Time t) {
    if (t > now && (!next || t < *next)) next = t;
  };
  if (const RuleConfig* r = rules.Find("long-missing")) {
    for (const Episode& e : child.episodes) {
      if (!e.end) consider(e.start + Hours(r->params.at("hours")));
    }
  }
  if (const RuleConfig* r = rules.Find("rhi-overdue")) {
    for (const Episode& e : child.episodes) {
      if (e.end) consider(*e.end + Hours(r->params.at("hours")));
    }
  }
  return next;
}

bool SameOccasion(const Alert& a, const Alert& b) {
  if (a.rule_id != b.rule_id) return false;
  std::vector<std::string> shared;
  std::set_intersection(a.anchor_event_ids.begin(), a.anchor_event_ids.end(), b.anchor_event_ids.begin(),
                        b.anchor_event_ids.end(), std::back_inserter(shared));
  return !shared.empty() || a.alert_id == b.alert_id;
}

std::vector<AlertTransition> AutomaticTransitions(const Alert& alert, const ChildFacts& child,
                                                  const std::vector<Alert>& current, absl::Time now) {
  if ((alert.severity == "notification" || alert.severity == "data quality") && alert.state != AlertState::kClosed) {
    const bool still = std::any_of(current.begin(), current.end(), [&](const Alert& c) { return SameOccasion(c, alert); });
    if (!still) {
      return {AlertTransition{.alert_id = alert.alert_id,
                              .kind = TransitionKind::kClose,
                              .by = "homeward",
                              .at = now,
                              .note = "no longer applies in the light of later records"}};
    }
    return {};
  }
  if (alert.severity != "strategy meeting" || alert.state >= AlertState::kActioned) return {};
  for (const ChronologyEntry& e : child.entries) {
    if (std::holds_alternative<StrategyMeetingHeld>(e.event.payload) &&
        e.event.occurred_at >= alert.triggered_by_event_time) {
      return {AlertTransition{.alert_id = alert.alert_id,
                              .kind = TransitionKind::kAction,
                              .by = "homeward",
                              .at = e.event.occurred_at,
                              .note = absl::StrCat("strategy meeting recorded: ", e.event.event_id)}};
    }
  }
  return {};
}

bool AlertBook::Raise(const Alert& alert) {
  if (alerts_.contains(alert.alert_id)) return false;
  Alert& a = alerts_[alert.alert_id] = alert;
  for (const std::string& anchor : a.anchor_event_ids) by_anchor_[anchor].push_back(a.alert_id);
  by_child_[a.child_id].push_back(a.alert_id);
  a.state = AlertState::kRaised;
  a.escalated = false;
  a.history.clear();
  for (const AlertTransition& t : early_[alert.alert_id]) Apply(t);
  early_.erase(alert.alert_id);
  return true;
}

bool AlertBook::Apply(const AlertTransition& t) {
  auto it = alerts_.find(t.alert_id);
  if (it == alerts_.end()) {
    early_[t.alert_id].push_back(t);
    return false;
  }
  Alert& a = it->second;
  auto& h = a.history;
  const auto key = [](const AlertTransition& x) { return std::make_tuple(x.at, static_cast<int>(x.kind), x.by); };
  for (const AlertTransition& existing : h) {
    if (key(existing) == key(t)) return true;  // the same record again
  }
  h.insert(std::upper_bound(h.begin(), h.end(), t, [&](const auto& x, const auto& y) { return key(x) < key(y); }), t);
  switch (t.kind) {
    case TransitionKind::kEscalate: a.escalated = true; break;
    case TransitionKind::kAcknowledge: a.state = std::max(a.state, AlertState::kAcknowledged); break;
    case TransitionKind::kAction: a.state = std::max(a.state, AlertState::kActioned); break;
    case TransitionKind::kClose: a.state = std::max(a.state, AlertState::kClosed); break;
  }
  // Who acknowledged: the earliest acknowledgement, whatever order the records arrived in.
  for (const AlertTransition& x : h) {
    if (x.kind == TransitionKind::kAcknowledge) {
      a.acknowledged_by = x.by;
      break;
    }
  }
  return true;
}

const Alert* AlertBook::Find(const std::string& alert_id) const {
  const auto it = alerts_.find(alert_id);
  return it == alerts_.end() ? nullptr : &it->second;
}

std::vector<const Alert*> AlertBook::All() const {
  std::vector<const Alert*> all;
  for (const auto& [id, a] : alerts_) all.push_back(&a);
  std::sort(all.begin(), all.end(), [](const Alert* x, const Alert* y) {
    return std::tie(x->raised_at, x->alert_id) > std::tie(y->raised_at, y->alert_id);
  });
  return all;
}

bool AlertBook::HoldsOccasion(const Alert& alert) const {
  if (const Alert* same = Find(alert.alert_id); same != nullptr) return true;
  for (const std::string& anchor : alert.anchor_event_ids) {
    const auto it = by_anchor_.find(anchor);
    if (it == by_anchor_.end()) continue;
    for (const std::string& id : it->second) {
      if (SameOccasion(alerts_.at(id), alert)) return true;
    }
  }
  return false;
}

void AlertBook::Forget(const std::string& alert_id) {
  const auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) return;
  const auto unindex = [&](std::map<std::string, std::vector<std::string>>& index, const std::string& key) {
    auto entry = index.find(key);
    if (entry == index.end()) return;
    std::erase(entry->second, alert_id);
    if (entry->second.empty()) index.erase(entry);
  };
  for (const std::string& anchor : it->second.anchor_event_ids) unindex(by_anchor_, anchor);
  unindex(by_child_, it->second.child_id);
  alerts_.erase(it);
}

std::vector<const Alert*> AlertBook::OfChild(const std::string& child_id) const {
  std::vector<const Alert*> out;
  if (const auto it = by_child_.find(child_id); it != by_child_.end()) {
    for (const std::string& id : it->second) out.push_back(&alerts_.at(id));
  }
  return out;
}

std::vector<const Alert*> AlertBook::DueForEscalation(absl::Duration escalate_after, absl::Time now) const {
  std::vector<const Alert*> due;
  for (const auto& [id, a] : alerts_) {
    if (a.state == AlertState::kRaised && !a.escalated && now >= a.raised_at + escalate_after) due.push_back(&a);
  }
  return due;
}

const char* ToString(AlertState state) {
  switch (state) {
    case AlertState::kRaised: return "raised";
    case AlertState::kAcknowledged: return "acknowledged";
    case AlertState::kActioned: return "actioned";
    case AlertState::kClosed: return "closed";
  }
  return "unknown";
}

}  // namespace homeward::aggregator
