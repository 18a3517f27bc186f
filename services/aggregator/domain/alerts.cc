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

bool IsTimeRule(const std::string& rule_id) { return rule_id == "long-missing" || rule_id == "rhi-overdue"; }

// Rules whose answer a later record of the same import can reverse: the time rules (a found
// record, an RHI) and early-help (an earlier episode, a social-care record). Records of one child
// arrive in any order within an export, so these wait for the rest of it (SettlingUntil).
bool SettlesOnArrival(const std::string& rule_id) { return IsTimeRule(rule_id) || rule_id == "early-help"; }

std::vector<std::string> SourceEvents(const Episode& e) {
  std::vector<std::string> ids;
  for (const auto& s : e.sources) ids.insert(ids.end(), s.event_ids.begin(), s.event_ids.end());
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string When(absl::Time t) { return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone()); }
std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

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

bool InterviewDone(const InterviewStatus& i) {
  return i.outcome == InterviewOutcome::kCompleted || i.outcome == InterviewOutcome::kDeclined;
}

// The first completed or declined interview of the episode, if any.
const InterviewStatus* FirstInterviewDone(const Episode& e) {
  const InterviewStatus* first = nullptr;
  for (const InterviewStatus& i : e.interviews) {
    if (InterviewDone(i) && (first == nullptr || i.at < first->at)) first = &i;
  }
  return first;
}

// Agencies whose record of a child means children's social care knows them: social care itself,
// the SSDA903 return (looked-after children), children's homes and foster placements.
bool SocialCareKind(AgencyKind kind) {
  return kind == AgencyKind::kSocialCare || kind == AgencyKind::kSsda903Return ||
         kind == AgencyKind::kResidentialHome || kind == AgencyKind::kFosterPlacement;
}

// The earliest record saying children's social care knows the child (rule early-help), if any.
const ChronologyEntry* FirstSocialCareRecord(const ChildFacts& child) {
  for (const ChronologyEntry& e : child.entries) {  // chronology order
    const auto* p = std::get_if<PlacementChanged>(&e.event.payload);
    if (SocialCareKind(e.event.agency_kind) || (p != nullptr && (p->social_care_open || p->looked_after))) return &e;
  }
  return nullptr;
}

// Whether children's social care knew the child when `episode` began: a social-care record
// dated at or before its start, or a source of the episode itself from social care or a
// placement (a children's home reporting the absence is caring for the child).
bool KnownToSocialCareAt(const ChildFacts& child, const Episode& episode) {
  if (std::any_of(episode.sources.begin(), episode.sources.end(),
                  [](const EpisodeSource& s) { return SocialCareKind(s.agency_kind); })) {
    return true;
  }
  const ChronologyEntry* first = FirstSocialCareRecord(child);
  return first != nullptr && first->event.occurred_at <= episode.start;
}

// The episode an alert is about: the one holding its anchor's events.
const Episode* EpisodeOf(const Alert& alert, const ChildFacts& child) {
  for (const Episode& e : child.episodes) {
    for (const EpisodeSource& s : e.sources) {
      for (const std::string& id : s.event_ids) {
        if (std::binary_search(alert.anchor_event_ids.begin(), alert.anchor_event_ids.end(), id)) return &e;
      }
    }
  }
  return nullptr;
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

  struct Options {
    std::vector<std::string> authorities;  // default: the child's placing authority
    std::vector<std::string> anchor;       // default: the causes
    std::optional<absl::Time> due_at;      // default: the trigger time
  };

  void Raise(const RuleConfig& rule, const std::string& cause, absl::Time trigger_time, std::vector<std::string> causes,
             std::string reason, Options options = {}) {
    Alert a;
    a.alert_id = absl::StrCat(rule.id, ":", cause);
    a.child_id = child_.child_id;
    a.rule_id = rule.id;
    a.rule_version = rule.version;
    a.severity = rule.severity;
    a.anchor_event_ids = options.anchor.empty() ? causes : std::move(options.anchor);
    std::sort(a.anchor_event_ids.begin(), a.anchor_event_ids.end());
    if (causes.size() > kMaxCauseEventIds) {  // the latest causes: the trigger's own records
      a.more_causes = static_cast<int>(causes.size() - kMaxCauseEventIds);
      causes.erase(causes.begin(), causes.end() - kMaxCauseEventIds);
    }
    a.cause_event_ids = std::move(causes);
    a.recommended_action = rule.recommended_action;
    a.team = rule.team;
    a.authorities = options.authorities.empty() ? authorities_ : std::move(options.authorities);
    a.raised_at = now_;
    a.triggered_by_event_time = trigger_time;
    a.due_at = options.due_at.value_or(trigger_time);
    a.reason = std::move(reason);
    alerts.push_back(std::move(a));
  }

  std::vector<Alert> alerts;

 private:
  const RuleSet& rules_;
  const ChildFacts& child_;
  const absl::Time now_;
  std::vector<std::string> authorities_;
};

// Episodes starting within `window` up to and including episodes[k] (EpisodesInWindow).
std::vector<const Episode*> Window(const std::vector<Episode>& episodes, size_t k, absl::Duration window) {
  std::vector<const Episode*> in;
  for (size_t j = k + 1 - EpisodesInWindow(episodes, k, window); j <= k; ++j) in.push_back(&episodes[j]);
  return in;
}

std::vector<std::string> WindowCauses(const std::vector<const Episode*>& in) {
  std::vector<std::string> causes;
  for (const Episode* e : in) {
    const auto ids = SourceEvents(*e);
    causes.insert(causes.end(), ids.begin(), ids.end());
  }
  return causes;
}

bool AllGradedLow(const std::vector<const Episode*>& in) {
  return std::all_of(in.begin(), in.end(), [](const Episode* e) {
    return e->highest_grade == RiskGrade::kLow || e->highest_grade == RiskGrade::kNoApparentRisk;
  });
}

AlertTransition Hub(const Alert& alert, TransitionKind kind, absl::Time at, std::string note) {
  return AlertTransition{.alert_id = alert.alert_id, .kind = kind, .by = kHubActor, .at = at, .note = std::move(note)};
}

// Why a raised alert was never due, in the words of its rule (the alert is no longer among
// the occasions the records call for).
std::string NeverDue(const RuleSet& rules, const Alert& alert, const ChildFacts& child) {
  const RuleConfig* rule = rules.Find(alert.rule_id);
  const Episode* episode = EpisodeOf(alert, child);
  const std::string base = "later records show it was never due: ";
  if (episode != nullptr && episode->impossible_times && IsTimeRule(alert.rule_id)) {
    return absl::StrCat(base, "the episode's times cannot be trusted (see impossible-times)");
  }
  if (alert.rule_id == "long-missing" && episode != nullptr && episode->end.has_value()) {
    return absl::StrCat(base, "the episode lasted ", FormatSpan(*episode->end - episode->start), " (", When(episode->start),
                        " to ", When(*episode->end), "), under the ", rule ? rule->params.at("hours") : 0, " h threshold");
  }
  if (alert.rule_id == "rhi-overdue" && episode != nullptr) {
    if (!episode->end.has_value()) return absl::StrCat(base, "the episode is no longer recorded as ended");
    if (const InterviewStatus* i = FirstInterviewDone(*episode)) {
      return absl::StrCat(base, "the return home interview was ", ToString(i->outcome), " at ", When(i->at), ", ",
                          FormatSpan(i->at - *episode->end), " after the return, within ",
                          rule ? rule->params.at("hours") : 0, " h");
    }
  }
  if (alert.rule_id == "early-help" && !child.episodes.empty()) {
    const Episode& first = child.episodes.front();
    if (episode != nullptr && episode != &first) {
      return absl::StrCat(base, "an earlier episode (", When(first.start), ") is now recorded: this was not the first");
    }
    if (const ChronologyEntry* known = FirstSocialCareRecord(child); known != nullptr && KnownToSocialCareAt(child, first)) {
      return absl::StrCat(base, "the child was known to children's social care at the time (", known->event.agency_id,
                          ", ", Day(known->event.occurred_at), ")");
    }
  }
  if (alert.rule_id == "young-child") {
    if (const auto dob = DateOfBirth(child); dob && episode != nullptr) {
      return absl::StrCat(base, "the date of birth now recorded (", absl::FormatCivilTime(*dob), ") gives age ",
                          AgeOn(*dob, absl::ToCivilDay(episode->start, absl::UTCTimeZone())), " at the episode");
    }
  }
  if (alert.rule_id == "high-risk") return absl::StrCat(base, "no record of the episode now grades it high");
  if (alert.rule_id == "repeat-missing" || alert.rule_id == "normalised-risk") {
    return absl::StrCat(base, "the episodes now recorded no longer meet the rule (records amended, or reports joined "
                              "into one episode)");
  }
  return absl::StrCat(base, "the records now held no longer meet rule ", alert.rule_id);
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
      raiser.Raise(*r, episodes[k].episode_id, episodes[k].start, WindowCauses(in),
                   absl::StrCat(in.size(), " episodes within ", r->params.at("window_days"), " days, the latest starting ",
                                When(episodes[k].start)),
                   {.anchor = SourceEvents(episodes[k])});
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
                                  " (threshold ", r->params.at("hours"), " h), from ", When(e.start)),
                     {.due_at = due});
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
      const InterviewStatus* done = FirstInterviewDone(e);
      if (now >= due && (done == nullptr || done->at > due)) {
        raiser.Raise(*r, e.episode_id, *e.end, SourceEvents(e),
                     absl::StrCat("no return home interview completed or refused within ", r->params.at("hours"),
                                  " h of the return at ", When(*e.end)),
                     {.due_at = due});
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
      if (static_cast<int>(in.size()) < n || !AllGradedLow(in)) continue;
      raiser.Raise(*r, episodes[k].episode_id, episodes[k].start, WindowCauses(in),
                   absl::StrCat(in.size(), " episodes within ", r->params.at("window_days"),
                                " days, every one graded low or no apparent risk"),
                   {.anchor = SourceEvents(episodes[k])});
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
                   {.authorities = {p->placing_authority, p->host_authority}});
    }
  }
  if (const RuleConfig* r = rules.Find("early-help"); r && !episodes.empty()) {
    const Episode& first = episodes.front();
    if (!KnownToSocialCareAt(child, first)) {
      raiser.Raise(*r, first.episode_id, first.start, SourceEvents(first),
                   "first missing episode, and not known to children's social care");
    }
  }
  return std::move(raiser.alerts);
}

std::optional<absl::Time> SettlingUntil(const RuleSet& rules, const Alert& due, absl::Time now,
                                        const EvaluationContext& context) {
  if (!SettlesOnArrival(due.rule_id) || !context.last_arrival.has_value()) return std::nullopt;
  const absl::Time until = *context.last_arrival + rules.settle;
  // A threshold that passed before the records arrived is history being loaded: let it settle.
  if (due.due_at < *context.last_arrival && now < until) return until;
  return std::nullopt;
}

bool RaiseNow(const RuleSet& rules, const Alert& due, absl::Time now, const EvaluationContext& context) {
  if (due.triggered_by_event_time < now - rules.alert_horizon) return false;  // history, not a call to act now
  return !SettlingUntil(rules, due, now, context).has_value();
}

std::vector<Alert> AlertsToRaise(const RuleSet& rules, const ChildFacts& child, absl::Time now,
                                 const EvaluationContext& context) {
  std::vector<Alert> out;
  for (Alert& a : EvaluateRules(rules, child, now)) {
    if (RaiseNow(rules, a, now, context)) out.push_back(std::move(a));
  }
  return out;
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

std::optional<AlertTransition> ReviewAlert(const RuleSet& rules, const Alert& alert, const ChildFacts& child,
                                           const std::vector<Alert>& due, absl::Time now) {
  if (!IsOpen(alert)) return std::nullopt;
  const bool still_due = std::any_of(due.begin(), due.end(), [&](const Alert& d) { return SameOccasion(d, alert); });
  // An alert is judged by the rule that raised it: one raised under another version of the rule
  // (a threshold since changed), or by a rule since switched off, is not withdrawn by the new.
  const RuleConfig* rule = rules.Find(alert.rule_id);
  if (!still_due && (rule == nullptr || rule->version != alert.rule_version)) return std::nullopt;
  if (!still_due) {
    if (alert.rule_id == "category-mismatch") {
      return Hub(alert, TransitionKind::kClose, now, "the agencies' records of the episode now agree");
    }
    if (alert.rule_id == "impossible-times") {
      return Hub(alert, TransitionKind::kClose, now, "the episode's times are now in order");
    }
    if (alert.rule_id == "trigger-plan-missing") {
      return Hub(alert, TransitionKind::kClose, now, "a trigger plan is now recorded for the meeting");
    }
    return Hub(alert, TransitionKind::kWithdraw, now, NeverDue(rules, alert, child));
  }
  if (alert.rule_id == "rhi-overdue") {
    if (const Episode* e = EpisodeOf(alert, child); e != nullptr && e->end.has_value()) {
      if (const InterviewStatus* i = FirstInterviewDone(*e)) {
        return Hub(alert, TransitionKind::kClose, now,
                   absl::StrCat("the return home interview was ", ToString(i->outcome), " at ", When(i->at), ", ",
                                FormatSpan(i->at - *e->end), " after the return (late)"));
      }
    }
  }
  if (alert.rule_id == "early-help") {
    if (const ChronologyEntry* known = FirstSocialCareRecord(child)) {
      return Hub(alert, TransitionKind::kClose, now,
                 absl::StrCat("now known to children's social care (", known->event.agency_id, ", ",
                              Day(known->event.occurred_at), ")"));
    }
  }
  if ((alert.severity == "strategy meeting" || alert.severity == "escalation") && alert.state < AlertState::kActioned) {
    for (const ChronologyEntry& e : child.entries) {
      if (std::holds_alternative<StrategyMeetingHeld>(e.event.payload) &&
          e.event.occurred_at >= alert.triggered_by_event_time) {
        return Hub(alert, TransitionKind::kAction, e.event.occurred_at,
                   absl::StrCat("strategy meeting recorded: ", e.event.event_id));
      }
    }
  }
  return std::nullopt;
}

std::vector<AlertTransition> FollowIdentity(const std::string& child_id, const std::vector<const Alert*>& alerts,
                                            const std::vector<Alert>& due, absl::Time now, const std::string& why) {
  std::vector<AlertTransition> out;
  for (const Alert* a : alerts) {
    if (a->child_id == child_id) continue;
    AlertTransition t = Hub(*a, TransitionKind::kRekey, now, absl::StrCat("now about child ", child_id, ": ", why));
    t.child_id = child_id;
    out.push_back(std::move(t));
  }
  std::set<std::string> merged;
  for (const Alert& occasion : due) {
    std::vector<const Alert*> same;
    for (const Alert* a : alerts) {
      if (IsOpen(*a) && !merged.contains(a->alert_id) && SameOccasion(occasion, *a)) same.push_back(a);
    }
    if (same.size() < 2) continue;
    const Alert* keep = *std::min_element(same.begin(), same.end(), [](const Alert* x, const Alert* y) {
      return std::tie(x->raised_at, x->alert_id) < std::tie(y->raised_at, y->alert_id);
    });
    for (const Alert* a : same) {
      if (a == keep) continue;
      merged.insert(a->alert_id);
      AlertTransition t = Hub(*a, TransitionKind::kMerge, now,
                              absl::StrCat("the same occasion as ", keep->alert_id, ": ", why));
      t.merged_into = keep->alert_id;
      out.push_back(std::move(t));
      if (!a->acknowledged_by.empty() && keep->acknowledged_by.empty()) {
        // An acknowledgement of the same occasion stands: the team has seen it. Dated as it was
        // given, so every replica records the same one.
        const auto ack = std::find_if(a->history.begin(), a->history.end(), [](const AlertTransition& h) {
          return h.kind == TransitionKind::kAcknowledge;
        });
        out.push_back(AlertTransition{.alert_id = keep->alert_id,
                                      .kind = TransitionKind::kAcknowledge,
                                      .by = a->acknowledged_by,
                                      .at = ack != a->history.end() ? ack->at : now,
                                      .note = absl::StrCat("acknowledged as ", a->alert_id, " before the records were linked")});
      }
    }
  }
  return out;
}

}  // namespace homeward::aggregator
