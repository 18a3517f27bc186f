// Normalisation (audit rec. 5: "repeat episodes of older boys were normalised"). For episodes
// that are a child's third or later within the window of rule normalised-risk, how the police
// graded them (APP risk continuum, brief §2), by sex and age band, and what followed the
// normalised-risk alerts: acknowledged, re-graded upward, a strategy meeting, closed.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

using E = EpisodeFact;

std::vector<Measure<E>> GradeMeasures() {
  const auto graded = [](RiskGrade g) { return [g](const E& e) { return e.police && e.police_grade == g; }; };
  return {
      CountOf<E>({"episodes", "Episodes", Unit::kCount, ""}, [](const E&) { return true; }),
      CountOf<E>({"high", "High", Unit::kCount, "The highest grade police gave during the episode"}, graded(RiskGrade::kHigh)),
      CountOf<E>({"medium", "Medium", Unit::kCount, ""}, graded(RiskGrade::kMedium)),
      CountOf<E>({"low", "Low", Unit::kCount, ""}, graded(RiskGrade::kLow)),
      CountOf<E>({"no_apparent_risk", "No apparent risk", Unit::kCount, "The old 'absent' grade"},
                 graded(RiskGrade::kNoApparentRisk)),
      CountOf<E>({"not_graded", "Not graded by police", Unit::kCount, "No police record, or one without a grade"},
                 [](const E& e) { return !e.police || e.police_grade == RiskGrade::kUnspecified; }),
      CountOf<E>({"graded", "Graded by police", Unit::kCount, ""},
                 [](const E& e) { return e.police && e.police_grade != RiskGrade::kUnspecified; }),
      CountOf<E>({"low_or_none", "Low or no apparent risk", Unit::kCount, ""},
                 [](const E& e) {
                   return e.police && (e.police_grade == RiskGrade::kLow || e.police_grade == RiskGrade::kNoApparentRisk);
                 }),
      RateOf<E>({"low_or_none_rate", "Graded low or no apparent risk (%)", Unit::kPercent, "Of those police graded"},
                "low_or_none", "graded"),
  };
}

}  // namespace

Report Normalisation(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  const std::string repeat = absl::StrCat(options.normalised_count, " or more episodes in ",
                                          absl::ToInt64Hours(options.normalised_window) / 24, " days");
  Report report = NewReport(request, "Normalisation of repeat episodes",
                            absl::StrCat("How police graded the episodes of children with ", repeat,
                                         ", by sex and age band, and what followed the normalised-risk alerts "
                                         "(audit rec. 5)"));
  const std::vector<const E*> all = EpisodesBegun(facts, request);
  std::vector<const E*> repeats;
  for (const E* e : all) {
    if (e->in_normalised_window >= options.normalised_count) repeats.push_back(e);
  }
  const std::vector<Measure<E>> measures = GradeMeasures();
  const std::vector<Partition> partitions = {
      {"episodes", {"high", "medium", "low", "no_apparent_risk", "not_graded"}},
      {"episodes", {"graded", "not_graded"}},
  };
  using Rows = std::vector<std::string>;
  const Chart grades{.kind = ChartKind::kBar, .series = {"high", "medium", "low", "no_apparent_risk"}};
  Dimension<E> repeat_or_not{.title = "Repeat and other episodes",
                             .row_heading = "Episode",
                             .rows = {absl::StrCat("A child's ", Ordinal(options.normalised_count), " or later in ",
                                                   absl::ToInt64Hours(options.normalised_window) / 24, " days"),
                                      "Other episodes"},
                             .chart = grades};
  repeat_or_not.chart.title = "Police grades: repeat and other episodes";
  repeat_or_not.rows_of = [rows = repeat_or_not.rows, &options](const E& e) {
    return Rows{e.in_normalised_window >= options.normalised_count ? rows[0] : rows[1]};
  };
  report.sections.push_back(Tabulate(measures, partitions, repeat_or_not, all, request.suppression_threshold));

  Dimension<E> sex_and_age{.title = "Repeat episodes by sex and age band",
                           .row_heading = "Sex and age band",
                           .rows_of = [](const E& e) { return Rows{absl::StrCat(SexLabel(e.sex), ", ", AgeBand(e.age))}; },
                           .chart = grades};
  for (const std::string sex : {"Female", "Male"}) {
    for (size_t b = 0; b + 1 < AgeBands().size(); ++b) sex_and_age.rows.push_back(absl::StrCat(sex, ", ", AgeBands()[b]));
  }
  sex_and_age.chart.title = "Police grades of repeat episodes, by sex and age band";
  report.sections.push_back(Tabulate(measures, partitions, sex_and_age, repeats, request.suppression_threshold));
  for (Section& s : TabulateAll(measures, partitions,
                                EpisodeDimensions(
                                    request, [](const E& e) { return e.start; }, {"episodes", "low_or_none"},
                                    {"high", "medium", "low", "no_apparent_risk"}),
                                repeats, request.suppression_threshold)) {
    s.title = absl::StrCat("Repeat episodes ", absl::AsciiStrToLower(s.title));
    report.sections.push_back(std::move(s));
  }

  // What followed each normalised-risk alert (counted by when its condition was met).
  std::vector<const AlertFact*> alerts;
  for (const AlertFact& a : facts.alerts) {
    if (a.rule_id != "normalised-risk" || a.withdrawn || !request.InPeriod(a.due_at)) continue;
    if (!request.authority.empty() &&
        std::find(a.authorities.begin(), a.authorities.end(), request.authority) == a.authorities.end()) {
      continue;
    }
    alerts.push_back(&a);
  }
  const auto child_of = [&facts](const AlertFact& a) -> const ChildFact* {
    return a.child ? &facts.children[*a.child] : nullptr;
  };
  using A = AlertFact;
  const std::vector<Measure<A>> followed = {
      CountOf<A>({"raised", "Alerts raised", Unit::kCount, ""}, [](const A&) { return true; }),
      CountOf<A>({"acknowledged", "Acknowledged", Unit::kCount, ""}, [](const A& a) { return a.acknowledged_at.has_value(); }),
      CountOf<A>({"regraded_up", "Police re-graded upward after", Unit::kCount, "A police re-grading to a higher grade"},
                 [child_of](const A& a) {
                   const ChildFact* c = child_of(a);
                   return c != nullptr && std::any_of(c->regrades.begin(), c->regrades.end(), [&](const RegradeFact& r) {
                            return r.at >= a.due_at && r.to > r.from;
                          });
                 }),
      CountOf<A>({"meeting_after", "Strategy meeting after", Unit::kCount, ""},
                 [child_of](const A& a) {
                   const ChildFact* c = child_of(a);
                   return c != nullptr && std::any_of(c->meetings.begin(), c->meetings.end(),
                                                      [&](const MeetingFact& m) { return m.at >= a.due_at; });
                 }),
      CountOf<A>({"closed", "Closed", Unit::kCount, ""}, [](const A& a) { return a.closed_at.has_value(); }),
      CountOf<A>({"open", "Still open", Unit::kCount, ""}, [](const A& a) { return !a.closed_at.has_value(); }),
  };
  Dimension<A> by_month{.title = "Normalised-risk alerts and what followed",
                        .row_heading = "Month the rule's condition was met",
                        .rows = MonthsOf(request),
                        .rows_of = [request](const A& a) { return Rows{MonthLabel(a.due_at, request)}; },
                        .chart = {.kind = ChartKind::kBar,
                                  .title = "Normalised-risk alerts and what followed",
                                  .series = {"raised", "regraded_up", "meeting_after"}}};
  report.sections.push_back(
      Tabulate(followed, {{"raised", {"closed", "open"}}}, by_month, alerts, request.suppression_threshold));
  report.notes.push_back(absl::StrCat("A repeat episode is a child's ", Ordinal(options.normalised_count), " or later within ",
                                      absl::ToInt64Hours(options.normalised_window) / 24,
                                      " days, as rule normalised-risk counts. Grades are the highest police gave."));
  return report;
}

}  // namespace homeward::aggregator::reports
