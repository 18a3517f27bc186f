// The child's multi-agency timeline (audit rec. 6e): every agency's records in event-time order,
// grouped by episode, with one SVG lane per agency; and its print view, the strategy-meeting pack.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "homeward/v1/event.pb.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

// The episode (index) each entry belongs to: one of its sources' events, or an RHI of one of
// its interviews; -1 for none.
std::vector<int> EpisodeOfEntries(const v1::GetChronologyResponse& chronology, const v1::GetEpisodesResponse& episodes) {
  std::map<std::string, int> by_event;
  std::map<std::pair<std::string, std::string>, int> by_interview;
  for (int k = 0; k < episodes.episodes_size(); ++k) {
    for (const v1::EpisodeSource& s : episodes.episodes(k).sources()) {
      for (const std::string& id : s.event_ids()) by_event[id] = k;
    }
    for (const v1::InterviewStatus& i : episodes.episodes(k).interviews()) by_interview[{i.agency_id(), i.source_record()}] = k;
  }
  std::vector<int> out;
  for (const v1::ChronologyEntry& entry : chronology.entries()) {
    const v1::Event& e = entry.event();
    int k = -1;
    if (const auto it = by_event.find(e.event_id()); it != by_event.end()) {
      k = it->second;
    } else if (const auto rhi = by_interview.find({e.agency_id(), e.source_record()}); rhi != by_interview.end()) {
      k = rhi->second;
    }
    out.push_back(k);
  }
  return out;
}

std::string EpisodeHeading(const v1::Episode& ep) {
  std::set<std::string> agencies;
  for (const v1::EpisodeSource& s : ep.sources()) agencies.insert(s.agency_id());
  std::string html = absl::StrCat("<h3 class=\"govuk-heading-s homeward-episode__title\">Missing episode: ",
                                  Escape(When(ep.start())), " to ",
                                  ep.has_end() ? Escape(When(ep.end())) : std::string("still open"), "</h3>",
                                  "<p class=\"govuk-body-s\">Recorded by ", Escape(absl::StrJoin(agencies, ", ")), "; ",
                                  ep.categories_differ() ? Tag("categories differ", "orange")
                                                         : Escape(EnumWords(v1::AbsenceCategory_Name(ep.category()),
                                                                            "ABSENCE_CATEGORY_")),
                                  "; highest grade ",
                                  Escape(EnumWords(v1::RiskGrade_Name(ep.highest_grade()), "RISK_GRADE_")), "</p>");
  for (const std::string& f : ep.flags()) absl::StrAppend(&html, Warning(f));
  return html;
}

std::string FiltersForm(const TimelineFilters& f, const std::set<std::string>& agencies, std::set<std::string> kinds) {
  const auto selected = [](const std::vector<std::string>& chosen, const std::string& value) {
    return std::find(chosen.begin(), chosen.end(), value) != chosen.end() ? " selected" : "";
  };
  std::string html = absl::StrCat(
      "<form method=\"get\" action=\"/child/timeline\" class=\"homeward-filters\"><input type=\"hidden\" name=\"id\" "
      "value=\"",
      Escape(f.child), "\"><div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" "
      "for=\"agency\">Agency</label><select class=\"govuk-select\" id=\"agency\" name=\"agency\"><option value=\"\">All"
      "</option>");
  for (const std::string& a : agencies) {
    absl::StrAppend(&html, "<option value=\"", Escape(a), "\"", selected(f.agencies, a), ">", Escape(a), "</option>");
  }
  absl::StrAppend(&html, "</select></div><div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" "
                         "for=\"kind\">Kind</label><select class=\"govuk-select\" id=\"kind\" name=\"kind\"><option "
                         "value=\"\">All</option>");
  for (const char* k : {"missing-reported", "risk-regraded", "found-returned", "return-interview", "strategy-meeting",
                        "placement-changed", "exploitation-concern", "identity-decision"}) {
    kinds.insert(k);
  }
  for (const std::string& k : kinds) {  // the standard kinds, and the notes' own kinds this child has
    absl::StrAppend(&html, "<option value=\"", Escape(k), "\"", selected(f.kinds, k), ">", Escape(Words(k)), "</option>");
  }
  absl::StrAppend(&html,
                  "</select></div><div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" "
                  "for=\"from\">From</label><input class=\"govuk-input govuk-input--width-10\" id=\"from\" name=\"from\" "
                  "type=\"date\" value=\"",
                  Escape(f.from), "\"></div><div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" "
                  "for=\"to\">To</label><input class=\"govuk-input govuk-input--width-10\" id=\"to\" name=\"to\" "
                  "type=\"date\" value=\"",
                  Escape(f.to), "\"></div><button type=\"submit\" class=\"govuk-button govuk-button--secondary "
                  "homeward-filter-button\" data-module=\"govuk-button\">Show</button></form>");
  return html;
}

// The drawing's time axis: linear within a stretch of records, with any quiet gap longer than
// kMaxGap drawn as kMaxGap and marked, so that a placement from months before does not squeeze
// an episode's evening into a dot.
class TimeAxis {
 public:
  static constexpr int64_t kMaxGap = 3 * 24 * 3600;

  explicit TimeAxis(std::vector<int64_t> times) : times_(std::move(times)) {
    std::sort(times_.begin(), times_.end());
    times_.erase(std::unique(times_.begin(), times_.end()), times_.end());
    at_.push_back(0);
    for (size_t i = 1; i < times_.size(); ++i) {
      const int64_t gap = times_[i] - times_[i - 1];
      at_.push_back(at_.back() + std::min(gap, kMaxGap));
      if (gap > kMaxGap) breaks_.push_back(i);
    }
    length_ = std::max<int64_t>(at_.back(), 3600);
  }
  // 0..1 along the axis.
  double Fraction(int64_t t) const {
    if (t <= times_.front()) return 0;
    if (t >= times_.back()) return static_cast<double>(at_.back()) / length_;
    const size_t i = std::upper_bound(times_.begin(), times_.end(), t) - times_.begin() - 1;
    const int64_t gap = times_[i + 1] - times_[i];
    const double within = static_cast<double>(t - times_[i]) / gap * (at_[i + 1] - at_[i]);
    return (at_[i] + within) / length_;
  }
  // Indexes i where a long gap ends before times()[i].
  const std::vector<size_t>& breaks() const { return breaks_; }
  const std::vector<int64_t>& times() const { return times_; }

 private:
  std::vector<int64_t> times_;
  std::vector<int64_t> at_;  // effective seconds from the start
  std::vector<size_t> breaks_;
  int64_t length_ = 3600;
};

google::protobuf::Timestamp Stamp(int64_t seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(seconds);
  return t;
}

}  // namespace

std::string TimelineSvg(const v1::GetChronologyResponse& chronology, const v1::GetEpisodesResponse& episodes) {
  if (chronology.entries().empty()) return "";
  std::vector<std::string> lanes;  // agencies in order of their first record
  std::vector<int64_t> times;
  for (const v1::ChronologyEntry& e : chronology.entries()) {
    if (std::find(lanes.begin(), lanes.end(), e.event().agency_id()) == lanes.end()) lanes.push_back(e.event().agency_id());
    times.push_back(e.event().occurred_at().seconds());
  }
  for (const v1::Episode& ep : episodes.episodes()) {
    for (const v1::EpisodeSource& s : ep.sources()) {
      times.push_back(s.start().seconds());
      if (s.has_end()) times.push_back(s.end().seconds());
    }
  }
  const TimeAxis axis(std::move(times));
  constexpr int kLeft = 190, kWidth = 760, kLane = 34, kTop = 10;
  const int height = kTop + static_cast<int>(lanes.size()) * kLane + 30;
  const auto x = [&](int64_t t) { return kLeft + axis.Fraction(t) * kWidth; };
  const auto lane_y = [&](const std::string& agency) {
    const auto it = std::find(lanes.begin(), lanes.end(), agency);
    return kTop + static_cast<int>(it - lanes.begin()) * kLane + kLane / 2;
  };
  std::string svg = absl::StrCat(
      "<figure class=\"homeward-timeline-figure\"><svg class=\"homeward-timeline\" viewBox=\"0 0 ", kLeft + kWidth + 20, " ",
      height, "\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\" xmlns=\"http://www.w3.org/2000/svg\">",
      "<title id=\"timeline-title\">Timeline by agency</title><desc id=\"timeline-desc\">", chronology.entries_size(),
      " records from ", lanes.size(), " agencies between ", Escape(When(chronology.entries(0).event().occurred_at())),
      " and ", Escape(When(chronology.entries(chronology.entries_size() - 1).event().occurred_at())),
      "; quiet periods longer than three days are shortened; each record is listed below the drawing.</desc>");
  for (size_t i = 0; i < lanes.size(); ++i) {
    const int y = kTop + static_cast<int>(i) * kLane;
    absl::StrAppend(&svg, "<rect class=\"homeward-lane", i % 2 ? " homeward-lane--alt" : "", "\" x=\"0\" y=\"", y,
                    "\" width=\"", kLeft + kWidth + 20, "\" height=\"", kLane, "\"/><text class=\"homeward-lane__label\" x=\"6\" y=\"",
                    y + kLane / 2 + 5, "\">", Escape(lanes[i]), "</text>");
  }
  // Shortened gaps: a dashed line, and the date the next stretch starts.
  for (size_t i : axis.breaks()) {
    const double at = (x(axis.times()[i - 1]) + x(axis.times()[i])) / 2;
    absl::StrAppend(&svg, "<line class=\"homeward-gap\" x1=\"", at, "\" y1=\"", kTop, "\" x2=\"", at, "\" y2=\"",
                    height - 26, "\"/><text class=\"homeward-axis\" x=\"", at + 4, "\" y=\"", height - 8, "\">",
                    Escape(When(Stamp(axis.times()[i]), true)), "</text>");
  }
  for (const v1::Episode& ep : episodes.episodes()) {
    for (const v1::EpisodeSource& s : ep.sources()) {
      if (std::find(lanes.begin(), lanes.end(), s.agency_id()) == lanes.end()) continue;
      const double from = x(s.start().seconds());
      const double to = s.has_end() ? x(s.end().seconds()) : kLeft + kWidth;
      absl::StrAppend(&svg, "<rect class=\"homeward-episode-band\" x=\"", from, "\" y=\"", lane_y(s.agency_id()) - 9,
                      "\" width=\"", std::max(4.0, to - from), "\" height=\"18\" rx=\"3\"><title>",
                      Escape(s.agency_id()), ": away from ", Escape(When(s.start(), s.date_only())),
                      s.has_end() ? absl::StrCat(" to ", Escape(When(s.end(), s.date_only()))) : " (open)",
                      "</title></rect>");
    }
  }
  for (const v1::ChronologyEntry& e : chronology.entries()) {
    // A picture (role img): the marks carry tooltips, and the list below says the same in words.
    absl::StrAppend(&svg, "<circle class=\"homeward-mark homeward-mark--", Escape(e.kind()), "\" cx=\"",
                    x(e.event().occurred_at().seconds()), "\" cy=\"", lane_y(e.event().agency_id()),
                    "\" r=\"6\"><title>", Escape(When(e.event().occurred_at(), e.date_only())), " ",
                    Escape(e.event().agency_id()), ": ", Escape(e.summary()), "</title></circle>");
  }
  absl::StrAppend(&svg, "<text class=\"homeward-axis\" x=\"", kLeft, "\" y=\"", height - 8, "\">",
                  Escape(When(Stamp(axis.times().front()), true)), "</text></svg></figure>");
  return svg;
}

std::string TimelinePage(const Viewer& viewer, const v1::GetChronologyResponse& chronology,
                         const v1::GetEpisodesResponse& episodes, const TimelineFilters& filters, bool print) {
  const std::string& child = chronology.child_id();
  std::string body;
  if (print) {
    absl::StrAppend(&body, Heading(child, "Strategy meeting pack"), "<p class=\"govuk-body-s\">Printed ",
                    Escape(absl::FormatTime("%e %b %Y, %H:%M", absl::Now(), absl::LocalTimeZone())), " by ",
                    Escape(viewer.subject), " for: ", Escape(viewer.purpose),
                    ". Confidential: shared under the partnership's information-sharing agreement.</p>");
  } else {
    absl::StrAppend(&body, Heading(child, "Multi-agency timeline"),
                    "<nav class=\"homeward-tabs\" aria-label=\"The child's records\"><ul class=\"govuk-list\"><li>",
                    Link(absl::StrCat("/child/profile?id=", UrlEncode(child)), "Profile"),
                    "</li><li><strong aria-current=\"page\">Timeline</strong></li><li>",
                    Link(absl::StrCat("/child/episodes?id=", UrlEncode(child)), "Episodes"), "</li><li>",
                    Link(absl::StrCat("/child/timeline?id=", UrlEncode(child), "&print=1"), "Print view"), "</li></ul></nav>");
  }
  absl::StrAppend(&body, "<p class=\"govuk-body\">Identifiers: ", Escape(absl::StrJoin(chronology.identifiers(), ", ")),
                  ". ", chronology.entries_size(), " of ", chronology.total_entries(),
                  " records, in the order they happened, each in the agency's own words.</p>");
  if (!print) {
    std::set<std::string> agencies;
    for (const v1::Episode& ep : episodes.episodes()) {
      for (const v1::EpisodeSource& s : ep.sources()) agencies.insert(s.agency_id());
    }
    for (const v1::ChronologyEntry& e : chronology.entries()) agencies.insert(e.event().agency_id());
    for (const std::string& a : filters.agencies) agencies.insert(a);
    std::set<std::string> kinds(filters.kinds.begin(), filters.kinds.end());
    for (const v1::ChronologyEntry& e : chronology.entries()) kinds.insert(e.kind());
    absl::StrAppend(&body, FiltersForm(filters, agencies, std::move(kinds)));
    if (!filters.event_ids.empty()) {
      absl::StrAppend(&body, "<p class=\"govuk-body\">Showing the records that caused an alert. ",
                      Link(absl::StrCat("/child/timeline?id=", UrlEncode(child)), "Show every record"), "</p>");
    }
  }
  absl::StrAppend(&body, TimelineSvg(chronology, episodes));
  if (chronology.entries().empty()) absl::StrAppend(&body, "<p class=\"govuk-body\">No records match.</p>");
  const std::vector<int> episode_of = EpisodeOfEntries(chronology, episodes);
  std::set<int> shown;
  absl::StrAppend(&body, "<div class=\"homeward-chronology\">");
  for (int i = 0; i < chronology.entries_size(); ++i) {
    const int k = episode_of[i];
    if (k < 0) {
      absl::StrAppend(&body, EntryBlock(chronology.entries(i)));
      continue;
    }
    if (!shown.insert(k).second) continue;  // the episode's section came with its first record
    absl::StrAppend(&body, "<section class=\"homeward-episode\">", EpisodeHeading(episodes.episodes(k)));
    for (int j = i; j < chronology.entries_size(); ++j) {
      if (episode_of[j] == k) absl::StrAppend(&body, EntryBlock(chronology.entries(j)));
    }
    absl::StrAppend(&body, "</section>");
  }
  absl::StrAppend(&body, "</div>");
  return Render({.title = absl::StrCat("Timeline of ", child),
                 .body = std::move(body),
                 .viewer = &viewer,
                 .current = "/",
                 .print = print,
                 .breadcrumbs = {{"Find a child", "/"},
                                 {child, absl::StrCat("/child/profile?id=", UrlEncode(child))}}});
}

}  // namespace homeward::web
