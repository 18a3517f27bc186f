#include "services/aggregator/domain/reports/dimensions.h"

#include "absl/strings/str_cat.h"

namespace homeward::aggregator::reports {

std::string MonthLabel(absl::Time t, const ReportRequest& request) {
  return absl::FormatTime("%b %Y", t, request.zone);
}

std::vector<std::string> MonthsOf(const ReportRequest& request) {
  std::vector<std::string> months;
  for (absl::CivilMonth m(request.from); m <= absl::CivilMonth(request.to); ++m) {
    months.push_back(absl::FormatTime("%b %Y", absl::FromCivil(m, request.zone), request.zone));
  }
  return months;
}

std::string Ordinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    switch (n % 10) {
      case 1: suffix = "st"; break;
      case 2: suffix = "nd"; break;
      case 3: suffix = "rd"; break;
      default: break;
    }
  }
  return absl::StrCat(n, suffix);
}

const std::vector<std::string>& AgeBands() {
  static const auto* bands =
      new std::vector<std::string>{"Under 10", "10 to 12", "13 to 15", "16 and 17", "18 and over", "Not recorded"};
  return *bands;
}

std::string AgeBand(int age) {
  const std::vector<std::string>& b = AgeBands();
  if (age < 0) return b[5];
  if (age < 10) return b[0];
  if (age < 13) return b[1];
  if (age < 16) return b[2];
  if (age < 18) return b[3];
  return b[4];
}

std::string SexLabel(Sex sex) {
  switch (sex) {
    case Sex::kFemale: return "Female";
    case Sex::kMale: return "Male";
    case Sex::kOther: return "Other";
    case Sex::kUnspecified: return "Not recorded";
  }
  return "Not recorded";
}

Area AreaOf(const EpisodeFact& e, const ReportRequest& request) {
  const std::string& city = request.City();
  if (!e.looked_after) return e.authority == city ? Area::kAtHome : Area::kElsewhere;
  const bool placing = e.placing_authority == city;
  const bool host = e.host_authority == city;
  if (placing && host) return Area::kPlacedWithin;
  if (placing) return Area::kPlacedOut;
  if (host) return Area::kPlacedIn;
  return Area::kElsewhere;
}

std::string AreaLabel(Area area, const ReportRequest& request) {
  const std::string& city = request.City();
  switch (area) {
    case Area::kPlacedOut: return absl::StrCat("Placed out of area by ", city);
    case Area::kPlacedIn: return absl::StrCat("Placed in ", city, " by other authorities");
    case Area::kPlacedWithin: return absl::StrCat("Placed within ", city, " by ", city);
    case Area::kAtHome: return absl::StrCat("At home in ", city, " (not looked after)");
    case Area::kElsewhere: return "Other authorities' children";
  }
  return "";
}

bool Concerns(const EpisodeFact& e, const ReportRequest& request) {
  if (request.authority.empty()) return true;
  return e.authority == request.authority || (e.looked_after && e.host_authority == request.authority);
}

std::vector<const EpisodeFact*> EpisodesBegun(const CityFacts& facts, const ReportRequest& request) {
  std::vector<const EpisodeFact*> begun;
  for (const EpisodeFact& e : facts.episodes) {
    if (request.InPeriod(e.start) && Concerns(e, request)) begun.push_back(&e);
  }
  return begun;
}

Dimension<AlertFact> AlertsByMonth(const ReportRequest& request, std::vector<std::string> trend) {
  return {.title = "By month",
          .row_heading = "Month the rule's condition was met",
          .rows = MonthsOf(request),
          .rows_of = [request](const AlertFact& a) { return std::vector<std::string>{MonthLabel(a.due_at, request)}; },
          .chart = {.kind = ChartKind::kLine, .title = "Month by month", .series = std::move(trend)}};
}

Dimension<AlertFact> AlertsByAuthority(Chart chart) {
  return {.title = "By authority",
          .row_heading = "Authority the alert went to",
          .description = "An alert about a child placed out of area goes to both authorities, so the rows overlap.",
          .rows_of = [](const AlertFact& a) {
            return a.authorities.empty() ? std::vector<std::string>{"(none)"} : a.authorities;
          },
          .exclusive = false,
          .chart = std::move(chart)};
}

std::vector<Dimension<EpisodeFact>> EpisodeDimensions(const ReportRequest& request,
                                                      std::function<absl::Time(const EpisodeFact&)> when,
                                                      std::vector<std::string> trend, std::vector<std::string> bars) {
  using Rows = std::vector<std::string>;
  std::vector<Dimension<EpisodeFact>> dims;
  dims.push_back({.title = "By month",
                  .row_heading = "Month",
                  .rows = MonthsOf(request),
                  .rows_of = [request, when](const EpisodeFact& e) { return Rows{MonthLabel(when(e), request)}; },
                  .chart = {.kind = ChartKind::kLine, .title = "Month by month", .series = std::move(trend)}});
  const Chart bar{.kind = ChartKind::kBar, .series = bars};
  const auto titled = [&](std::string title) {
    Chart c = bar;
    c.title = std::move(title);
    return c;
  };
  dims.push_back({.title = "By authority",
                  .row_heading = "Authority responsible",
                  .rows_of = [](const EpisodeFact& e) { return Rows{e.authority}; },
                  .chart = titled("By authority")});
  dims.push_back({.title = "By age band",
                  .row_heading = "Age when the episode began",
                  .rows = AgeBands(),
                  .rows_of = [](const EpisodeFact& e) { return Rows{AgeBand(e.age)}; },
                  .chart = titled("By age band")});
  dims.push_back({.title = "By sex",
                  .row_heading = "Sex",
                  .rows = {"Female", "Male", "Other", "Not recorded"},
                  .rows_of = [](const EpisodeFact& e) { return Rows{SexLabel(e.sex)}; },
                  .chart = titled("By sex")});
  dims.push_back({.title = "Looked after or not",
                  .row_heading = "When the episode began",
                  .rows = {"Looked after", "Not looked after"},
                  .rows_of = [](const EpisodeFact& e) { return Rows{e.looked_after ? "Looked after" : "Not looked after"}; },
                  .chart = titled("Looked after or not")});
  Rows areas;
  for (Area a : {Area::kPlacedOut, Area::kPlacedIn, Area::kPlacedWithin, Area::kAtHome, Area::kElsewhere}) {
    areas.push_back(AreaLabel(a, request));
  }
  dims.push_back({.title = "In or out of area",
                  .row_heading = "Where the child lived",
                  .description = absl::StrCat("Relative to ", request.City(), " (audit rec. 7c)."),
                  .rows = areas,
                  .rows_of = [request](const EpisodeFact& e) { return Rows{AreaLabel(AreaOf(e, request), request)}; },
                  .chart = titled("In or out of area")});
  return dims;
}

Report NewReport(const ReportRequest& request, std::string title, std::string description) {
  return Report{.name = request.name,
                .title = std::move(title),
                .description = std::move(description),
                .from = request.from,
                .to = request.to,
                .authority = request.authority,
                .as_at = request.as_at,
                .time_zone = request.zone.name(),
                .suppression_threshold = request.suppression_threshold};
}

}  // namespace homeward::aggregator::reports
