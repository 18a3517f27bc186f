// The statutory returns (brief §4; docs/formats/ssda903-missing.md, docs/formats/annex-a-missing.md):
//  - SSDA903 Missing table: one row per missing or away period of a child looked after by the
//    authority that touches the collection period; CHILD, DOB, MISSING (M/A), MIS_START, MIS_END,
//    dates dd/mm/yyyy (liia-tools SSDA903 schema 2016-2024);
//  - Ofsted ILACS Annex A, List 8 (children in care): the columns about going missing, one row
//    per child looked after by the authority with an episode in the period.
// Both list children by nature; the ReportService lets only the authority's coordinators run them.
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/aggregator/domain/reports/dimensions.h"
#include "services/aggregator/domain/reports/reports.h"

namespace homeward::aggregator::reports {
namespace {

std::string Date(absl::CivilDay d) { return absl::StrFormat("%02d/%02d/%04d", d.day(), d.month(), d.year()); }
std::string Date(absl::Time t, absl::TimeZone zone) { return Date(absl::ToCivilDay(t, zone)); }

std::optional<absl::CivilDay> ParseDate(const std::string& s) {
  const std::vector<std::string> parts = absl::StrSplit(s, '/');
  int d = 0, m = 0, y = 0;
  if (parts.size() != 3 || parts[0].size() != 2 || parts[1].size() != 2 || parts[2].size() != 4 ||
      !absl::SimpleAtoi(parts[0], &d) || !absl::SimpleAtoi(parts[1], &m) || !absl::SimpleAtoi(parts[2], &y)) {
    return std::nullopt;
  }
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d) return std::nullopt;  // 31/02 normalises
  return day;
}

// The local authority's category where it recorded the episode, else the police's.
AbsenceCategory ReturnCategory(const EpisodeFact& e) {
  return e.social_care ? e.social_care_category : e.police_category;
}

// M: missing; A: away from placement without authorisation (police "absent" is the nearest).
std::string MissingCode(AbsenceCategory c) {
  switch (c) {
    case AbsenceCategory::kMissing: return "M";
    case AbsenceCategory::kAwayWithoutAuthorisation:
    case AbsenceCategory::kAbsent: return "A";
    case AbsenceCategory::kUnspecified: return "";
  }
  return "";
}

bool LookedAfterBy(const EpisodeFact& e, const std::string& authority) {
  return e.looked_after && e.placing_authority == authority;
}

// Belongs in the authority's 903 return: looked after by it, by the placement in force, or
// listed in its own 903 return already (which covers only children it looks after).
bool InReturn(const EpisodeFact& e, const std::string& authority) {
  return LookedAfterBy(e, authority) || e.return_903_authority == authority;
}

std::string FileName(const std::string& stem, const ReportRequest& r) {
  return absl::StrCat(stem, "_", r.authority, "_", absl::FormatCivilTime(r.from), "_", absl::FormatCivilTime(r.to), ".csv");
}

}  // namespace

StatutoryReturn Ssda903Missing(const CityFacts& facts, const FactOptions&, const ReportRequest& request) {
  StatutoryReturn out{.name = request.name,
                      .file_name = FileName("ssda903_missing", request),
                      .columns = {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"}};
  struct Line {
    std::vector<std::string> values;
    absl::Time start;
    bool rule_575 = false;
    bool placement_disagrees = false;  // in the 903 return, but not looked after by the placement
  };
  std::vector<Line> lines;
  std::set<std::string> without_id;
  int uncategorised = 0;
  for (const EpisodeFact& e : facts.episodes) {
    if (!InReturn(e, request.authority)) continue;
    if (e.start >= request.End() || (e.end && *e.end < request.Begin())) continue;
    const ChildFact& child = facts.children[e.child];
    const auto id = child.la_child_ids.find(request.authority);
    if (id == child.la_child_ids.end()) {
      without_id.insert(child.hub_id);
      continue;
    }
    const std::string code = MissingCode(ReturnCategory(e));
    if (code.empty()) ++uncategorised;
    // Still missing at the end of the period: MIS_END is left blank (brief §4).
    const bool ended = e.end && *e.end < request.End();
    lines.push_back({{id->second, child.date_of_birth ? Date(*child.date_of_birth) : "", code,
                      Date(e.start, request.zone), ended ? Date(*e.end, request.zone) : ""},
                     e.start,
                     e.rule_575 && !ended,
                     !LookedAfterBy(e, request.authority)});
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return std::tie(a.values[0], a.start) < std::tie(b.values[0], b.start);
  });
  std::set<std::string> disagreeing;
  for (size_t i = 0; i < lines.size(); ++i) {
    out.rows.push_back(lines[i].values);
    if (lines[i].placement_disagrees) {  // not a 903 rule: a note for the authority to check
      disagreeing.insert(lines[i].values[0]);
    }
    if (lines[i].rule_575) {
      out.findings.push_back({"575",
                              absl::StrCat("CHILD ", lines[i].values[0], ": the placement changed after the period starting ",
                                           lines[i].values[3], " began, but it has no MIS_END"),
                              static_cast<int>(i + 1)});
    }
  }
  std::vector<Finding> checked = Validate903Missing(out.rows, request.from, request.to);
  out.findings.insert(out.findings.end(), checked.begin(), checked.end());
  std::sort(out.findings.begin(), out.findings.end(),
            [](const Finding& a, const Finding& b) { return std::tie(a.row, a.rule) < std::tie(b.row, b.rule); });
  if (!without_id.empty()) {
    out.notes.push_back(absl::StrCat(without_id.size(), " looked-after child", without_id.size() == 1 ? " has" : "ren have",
                                     " episodes in the period but no ", request.authority,
                                     " LA child id from its social care, so cannot be listed: ",
                                     absl::StrJoin(without_id, ", "),
                                     ". Record the LA child id in the case system and run the return again."));
  }
  if (!disagreeing.empty()) {
    out.notes.push_back(absl::StrCat("Listed because ", request.authority, "'s own 903 return lists them, though the "
                                     "placement its social care recorded as in force says they were not looked after: ",
                                     absl::StrJoin(disagreeing, ", "), ". Check the placement record."));
  }
  if (uncategorised > 0) {
    out.notes.push_back(absl::StrCat(uncategorised, " period", uncategorised == 1 ? " has" : "s have",
                                     " no category (MISSING is blank): neither social care nor police categorised it."));
  }
  return out;
}

std::vector<Finding> Validate903Missing(const std::vector<std::vector<std::string>>& rows, absl::CivilDay from,
                                        absl::CivilDay to) {
  std::vector<Finding> findings;
  struct Period {
    int row;
    absl::CivilDay start;
    std::optional<absl::CivilDay> end;
  };
  std::map<std::string, std::vector<Period>> by_child;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int row = static_cast<int>(i + 1);
    const std::vector<std::string>& r = rows[i];
    if (r.size() != 5) {
      findings.push_back({"columns", absl::StrCat("has ", r.size(), " fields, not 5"), row});
      continue;
    }
    const std::string& child = r[0];
    if (child.empty()) findings.push_back({"CHILD", "CHILD is blank", row});
    if (!ParseDate(r[1])) findings.push_back({"DOB", absl::StrCat("DOB '", r[1], "' is not a date dd/mm/yyyy"), row});
    if (r[2] != "M" && r[2] != "A") findings.push_back({"MISSING", absl::StrCat("MISSING '", r[2], "' is not M or A"), row});
    const std::optional<absl::CivilDay> start = ParseDate(r[3]);
    if (!start) {
      findings.push_back({"MIS_START", absl::StrCat("MIS_START '", r[3], "' is not a date dd/mm/yyyy"), row});
      continue;
    }
    std::optional<absl::CivilDay> end;
    if (!r[4].empty()) {
      end = ParseDate(r[4]);
      if (!end) {
        findings.push_back({"MIS_END", absl::StrCat("MIS_END '", r[4], "' is not a date dd/mm/yyyy"), row});
        continue;
      }
      if (*end < *start) findings.push_back({"MIS_END", "MIS_END is before MIS_START", row});
      if (*end < from || *end > to) findings.push_back({"571", "MIS_END falls outside the collection year", row});
    }
    if (*start > to) findings.push_back({"570", "MIS_START is after the end of the collection year", row});
    by_child[child].push_back({row, *start, end});
  }
  for (auto& [child, periods] : by_child) {
    std::sort(periods.begin(), periods.end(), [](const Period& a, const Period& b) { return a.start < b.start; });
    for (size_t k = 1; k < periods.size(); ++k) {
      const Period& before = periods[k - 1];
      if (!before.end) {
        findings.push_back({"574", absl::StrCat("CHILD ", child, ": a period starts while the one before (row ", before.row,
                                                ") is still open"),
                            periods[k].row});
      } else if (periods[k].start < *before.end) {
        findings.push_back({"574", absl::StrCat("CHILD ", child, ": the period overlaps the one before (row ", before.row, ")"),
                            periods[k].row});
      }
    }
  }
  return findings;
}

StatutoryReturn AnnexAMissing(const CityFacts& facts, const FactOptions& options, const ReportRequest& request) {
  StatutoryReturn out{
      .name = request.name,
      .file_name = FileName("annex_a_list8_missing", request),
      .columns = {"Child Unique ID", "Gender", "Date of Birth", "Age of Child (Years)", "Placement Type",
                  "Placement Location", "LA of Placement", "URN of Placement",
                  "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
                  "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
                  "Was the child offered a Return Interview after their last missing episode (Y/N)?",
                  "Did the child accept a Return Interview after their last missing episode (Y/N)?",
                  "Allocated Team"}};
  std::map<std::string, std::vector<std::string>> rows;  // by Child Unique ID
  std::set<std::string> without_id;
  for (size_t c = 0; c < facts.children.size(); ++c) {
    const ChildFact& child = facts.children[c];
    std::vector<const EpisodeFact*> episodes;
    for (size_t k : child.episodes) {
      const EpisodeFact& e = facts.episodes[k];
      if (InReturn(e, request.authority) && request.InPeriod(e.start)) episodes.push_back(&e);
    }
    if (episodes.empty()) continue;
    const auto id = child.la_child_ids.find(request.authority);
    if (id == child.la_child_ids.end()) {
      without_id.insert(child.hub_id);
      continue;
    }
    int missing = 0, absent = 0;
    const EpisodeFact* last_missing = nullptr;
    for (const EpisodeFact* e : episodes) {
      if (ReturnCategory(*e) == AbsenceCategory::kMissing) {
        ++missing;
        last_missing = e;
      } else if (!MissingCode(ReturnCategory(*e)).empty()) {
        ++absent;
      }
    }
    std::string offered, accepted;
    if (last_missing != nullptr) {
      const RhiFact& rhi = last_missing->rhi;
      const bool overdue = last_missing->end && *last_missing->end + options.rhi_due <= request.as_at;
      offered = rhi.offered_at ? "a) Yes" : (rhi.not_offered || overdue) ? "b) No" : "c) Unknown";
      if (rhi.offered_at) accepted = rhi.completed_at ? "a) Yes" : rhi.declined_at ? "b) No" : "c) Unknown";
    }
    const EpisodeFact& latest = *episodes.back();
    const std::string gender = child.sex == Sex::kMale     ? "a) Male"
                               : child.sex == Sex::kFemale ? "b) Female"
                               : child.sex == Sex::kOther  ? "d) Neither"
                                                           : "c) Not stated/recorded";
    rows[id->second] = {id->second,
                        gender,
                        child.date_of_birth ? Date(*child.date_of_birth) : "",
                        child.date_of_birth ? absl::StrCat(AgeOn(*child.date_of_birth, request.to)) : "",
                        latest.placement_type,
                        latest.host_authority == request.authority ? "a) In" : "b) Out",
                        latest.host_authority,
                        latest.placement_ref,
                        absl::StrCat(missing),
                        absl::StrCat(absent),
                        offered,
                        accepted,
                        latest.allocated_team};
  }
  for (auto& [id, row] : rows) out.rows.push_back(std::move(row));
  if (!without_id.empty()) {
    out.notes.push_back(absl::StrCat(without_id.size(), " looked-after child", without_id.size() == 1 ? " has" : "ren have",
                                     " episodes in the period but no ", request.authority,
                                     " LA child id from its social care, so cannot be listed: ",
                                     absl::StrJoin(without_id, ", "), "."));
  }
  out.notes.push_back("Annex A asks for the last 12 months: run it for the 12 months to the date Ofsted gives. Columns "
                      "of List 8 the hub does not hold (ethnicity, disability, legal status, postcode, worker) are "
                      "left to the case system's own List 8; join on Child Unique ID.");
  return out;
}

}  // namespace homeward::aggregator::reports
