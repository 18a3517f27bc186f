// Rule early-help: the first episode of a child not known to children's social care.
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/rules/catalog.h"
#include "services/aggregator/domain/rules/support.h"

namespace homeward::aggregator::rules {
namespace {

void Evaluate(const RuleConfig& r, const ChildFacts& child, absl::Time, Raiser& raiser) {
  if (child.episodes.empty()) return;
  const Episode& first = child.episodes.front();
  if (KnownToSocialCareAt(child, first)) return;
  raiser.Raise(r, first.episode_id, first.start, SourceEvents(first),
               "first missing episode, and not known to children's social care");
}

std::string NeverDue(const RuleConfig*, const Alert& alert, const ChildFacts& child) {
  if (!child.episodes.empty()) {
    const Episode& first = child.episodes.front();
    const Episode* episode = EpisodeOf(alert, child);
    if (episode != nullptr && episode != &first) {
      return absl::StrCat("an earlier episode (", When(first.start), ") is now recorded: this was not the first");
    }
    if (const ChronologyEntry* known = FirstSocialCareRecord(child); known != nullptr && KnownToSocialCareAt(child, first)) {
      return absl::StrCat("the child was known to children's social care at the time (", known->event.agency_id, ", ",
                          Day(known->event.occurred_at), ")");
    }
  }
  return "the records now held no longer meet rule early-help";
}

// Known to social care since: the offer of early help is overtaken.
std::optional<std::string> Closes(const Alert&, const ChildFacts& child) {
  const ChronologyEntry* known = FirstSocialCareRecord(child);
  if (known == nullptr) return std::nullopt;
  return absl::StrCat("now known to children's social care (", known->event.agency_id, ", ",
                      Day(known->event.occurred_at), ")");
}

}  // namespace

const RuleDefinition& EarlyHelpRule() {
  static const auto* rule = new RuleDefinition{
      .id = "early-help",
      .summary = "the first episode of a child with no open social-care involvement",
      .source = "rules-and-scenarios.md; audit rec. 1",
      .settles_on_arrival = true,
      .evaluate = Evaluate,
      .never_due = NeverDue,
      .closes = Closes,
  };
  return *rule;
}

}  // namespace homeward::aggregator::rules
