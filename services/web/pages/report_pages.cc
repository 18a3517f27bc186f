// The partnership reports (issue 14) for managers: a chart to look at and, beside every chart,
// the table that says the same in figures (the accessible alternative, and what is printed).
// Charts are inline SVG drawn here: bars for categories, lines for months; a withheld figure
// ("<5") is drawn as a gap with its mark, never as a bar of some size.
#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/codec/report_csv.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

// `label` cut to at most `max` bytes at a character boundary, with an ellipsis when cut (the
// table beside the chart has it whole).
std::string ShortLabel(const std::string& label, size_t max) {
  if (label.size() <= max) return label;
  size_t end = max - 1;
  while (end > 0 && (static_cast<unsigned char>(label[end]) & 0xC0) == 0x80) --end;
  return label.substr(0, end) + "\u2026";
}

// GOV.UK Design System colours, each series also told apart by its marker's shape.
constexpr const char* kColours[] = {"#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#505a5f"};
constexpr const char* kShapes[] = {"circle", "square", "diamond", "triangle", "circle", "square"};

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

std::string Marker(size_t series, double x, double y) {
  const char* colour = kColours[series % 6];
  const std::string shape = kShapes[series % 6];
  if (shape == "square") {
    return absl::StrCat("<rect x=\"", Num(x - 4), "\" y=\"", Num(y - 4), "\" width=\"8\" height=\"8\" fill=\"", colour, "\"/>");
  }
  if (shape == "diamond") {
    return absl::StrCat("<path d=\"M", Num(x), " ", Num(y - 5), " L", Num(x + 5), " ", Num(y), " L", Num(x), " ",
                        Num(y + 5), " L", Num(x - 5), " ", Num(y), " Z\" fill=\"", colour, "\"/>");
  }
  if (shape == "triangle") {
    return absl::StrCat("<path d=\"M", Num(x), " ", Num(y - 5), " L", Num(x + 5), " ", Num(y + 4), " L", Num(x - 5), " ",
                        Num(y + 4), " Z\" fill=\"", colour, "\"/>");
  }
  return absl::StrCat("<circle cx=\"", Num(x), "\" cy=\"", Num(y), "\" r=\"4\" fill=\"", colour, "\"/>");
}

// A tidy upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`.
// The top of an axis with four gridlines: four times a round step (1, 2, 2.5 or 5 times a power
// of ten), so that every gridline reads as a round number (8 with 2, 4, 6; never 3.75).
double NiceCeiling(double max) {
  if (max <= 0) return 4;
  const double power = std::pow(10.0, std::floor(std::log10(max / 4)));
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (4 * step * power >= max) return 4 * step * power;
  }
  return 40 * power;
}

int ColumnOf(const v1::ReportSection& s, const std::string& key) {
  for (int c = 0; c < s.columns_size(); ++c) {
    if (s.columns(c).key() == key) return c;
  }
  return -1;
}

std::string Legend(const v1::ReportSection& s, const std::vector<int>& series) {
  std::string html = "<ul class=\"homeward-legend govuk-list\">";
  for (size_t i = 0; i < series.size(); ++i) {
    absl::StrAppend(&html, "<li><svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\" focusable=\"false\">",
                    Marker(i, 7, 7), "</svg> ", Escape(s.columns(series[i]).label()), "</li>");
  }
  return html + "</ul>";
}

// What a chart plots: the section's rows but its total, and the top of its value axis (100 for a
// percentage, else above the largest figure shown; a withheld one is never plotted).
struct Scaled {
  std::vector<const v1::ReportRow*> rows;
  double top;
  bool percent;
};

Scaled Scale(const v1::ReportSection& s, const std::vector<int>& series) {
  Scaled out{.top = 100, .percent = s.columns(series.front()).unit() == v1::ReportColumn::UNIT_PERCENT};
  double max = 0;
  for (const v1::ReportRow& r : s.rows()) {
    if (r.total()) continue;
    out.rows.push_back(&r);
    for (int c : series) {
      const v1::ReportCell& cell = r.cells(c);
      if (!cell.suppressed() && !cell.not_applicable()) max = std::max(max, cell.value());
    }
  }
  if (!out.percent) out.top = NiceCeiling(max);
  return out;
}

std::string BarChart(const v1::ReportSection& s, const std::vector<int>& series, const std::string& id) {
  const auto [rows, top, percent] = Scale(s, series);
  // The labels' column is as wide as the longest label needs (about 7 px a character at the
  // chart's 12 px text), so none is cut at the left edge; a label past 48 characters is shortened.
  constexpr size_t kLabelChars = 48;
  size_t longest = 8;
  for (const v1::ReportRow* r : rows) longest = std::max(longest, std::min(r->label().size(), kLabelChars));
  const double kLabel = 16 + 7.0 * static_cast<double>(longest);
  constexpr double kWidth = 420, kBar = 14, kGap = 10;
  const double group = kBar * static_cast<double>(series.size()) + kGap;
  const double height = 30 + group * static_cast<double>(rows.size()) + 20;
  std::string svg = absl::StrCat("<svg class=\"homeward-chart\" viewBox=\"0 0 ", Num(kLabel + kWidth + 60), " ", Num(height),
                                 "\" role=\"img\" aria-labelledby=\"", id, "-title ", id, "-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
  for (int tick = 0; tick <= 4; ++tick) {
    const double x = kLabel + kWidth * tick / 4;
    absl::StrAppend(&svg, "<line class=\"homeward-chart__grid\" x1=\"", Num(x), "\" y1=\"20\" x2=\"", Num(x), "\" y2=\"",
                    Num(height - 20), "\"/><text class=\"homeward-chart__axis\" x=\"", Num(x), "\" y=\"14\" text-anchor=\"middle\">",
                    FormatAxis(top * tick / 4, percent), "</text>");
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    const double y0 = 30 + group * static_cast<double>(r);
    absl::StrAppend(&svg, "<text class=\"homeward-chart__label\" x=\"", Num(kLabel - 8), "\" y=\"",
                    Num(y0 + kBar * static_cast<double>(series.size()) / 2 + 4), "\" text-anchor=\"end\">",
                    Escape(ShortLabel(rows[r]->label(), kLabelChars)), "</text>");
    for (size_t i = 0; i < series.size(); ++i) {
      const v1::ReportCell& cell = rows[r]->cells(series[i]);
      const double y = y0 + kBar * static_cast<double>(i);
      if (cell.suppressed() || cell.not_applicable()) {
        absl::StrAppend(&svg, "<text class=\"homeward-chart__withheld\" x=\"", Num(kLabel + 4), "\" y=\"", Num(y + 11), "\">",
                        Escape(cell.display()), "</text>");
        continue;
      }
      const double w = top > 0 ? kWidth * cell.value() / top : 0;
      absl::StrAppend(&svg, "<rect x=\"", Num(kLabel), "\" y=\"", Num(y + 1), "\" width=\"", Num(std::max(w, 0.0)),
                      "\" height=\"", Num(kBar - 2), "\" fill=\"", kColours[i % 6], "\"/>", "<text class=\"homeward-chart__value\" x=\"",
                      Num(kLabel + w + 4), "\" y=\"", Num(y + 11), "\">", Escape(cell.display()), "</text>");
    }
  }
  return svg;
}

std::string LineChart(const v1::ReportSection& s, const std::vector<int>& series, const std::string& id) {
  const auto [rows, top, percent] = Scale(s, series);
  constexpr double kLeft = 50, kWidth = 600, kTop = 20, kHeight = 220;
  const double step = rows.size() > 1 ? kWidth / static_cast<double>(rows.size() - 1) : 0;
  const auto y_of = [&](double v) { return kTop + kHeight - kHeight * v / top; };
  std::string svg = absl::StrCat("<svg class=\"homeward-chart\" viewBox=\"0 0 ", Num(kLeft + kWidth + 40), " ",
                                 Num(kTop + kHeight + 50), "\" role=\"img\" aria-labelledby=\"", id, "-title ", id,
                                 "-desc\" xmlns=\"http://www.w3.org/2000/svg\">");
  for (int tick = 0; tick <= 4; ++tick) {
    const double y = y_of(top * tick / 4);
    absl::StrAppend(&svg, "<line class=\"homeward-chart__grid\" x1=\"", Num(kLeft), "\" y1=\"", Num(y), "\" x2=\"",
                    Num(kLeft + kWidth), "\" y2=\"", Num(y), "\"/><text class=\"homeward-chart__axis\" x=\"", Num(kLeft - 6),
                    "\" y=\"", Num(y + 4), "\" text-anchor=\"end\">", FormatAxis(top * tick / 4, percent), "</text>");
  }
  // Month labels: every one when there are few, else every third.
  const size_t every = rows.size() <= 13 ? 1 : 3;
  for (size_t r = 0; r < rows.size(); r += every) {
    absl::StrAppend(&svg, "<text class=\"homeward-chart__axis\" x=\"", Num(kLeft + step * static_cast<double>(r)), "\" y=\"",
                    Num(kTop + kHeight + 18), "\" text-anchor=\"middle\">", Escape(rows[r]->label().substr(0, 3)), "</text>");
  }
  for (size_t i = 0; i < series.size(); ++i) {
    std::string path;  // broken wherever a figure is withheld
    for (size_t r = 0; r < rows.size(); ++r) {
      const v1::ReportCell& cell = rows[r]->cells(series[i]);
      const double x = kLeft + step * static_cast<double>(r);
      if (cell.suppressed() || cell.not_applicable()) {
        if (cell.suppressed()) {
          absl::StrAppend(&svg, "<text class=\"homeward-chart__withheld\" x=\"", Num(x), "\" y=\"",
                          Num(kTop + kHeight - 4 - 12 * static_cast<double>(i)), "\" text-anchor=\"middle\">",
                          Escape(cell.display()), "</text>");
        }
        path += " ";
        continue;
      }
      const bool start = path.empty() || path.back() == ' ';
      absl::StrAppend(&path, start ? "M" : " L", Num(x), " ", Num(y_of(cell.value())));
      absl::StrAppend(&svg, Marker(i, x, y_of(cell.value())));
    }
    absl::StrAppend(&svg, "<path d=\"", path, "\" fill=\"none\" stroke=\"", kColours[i % 6], "\" stroke-width=\"2\"/>");
  }
  return svg;
}

std::string Day(const v1::CivilDate& d) { return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day()); }

// The query string of a report's form, for links between its views.
std::string Query(const ReportForm& f) {
  return absl::StrCat("name=", UrlEncode(f.name), "&from=", UrlEncode(f.from), "&to=", UrlEncode(f.to),
                      "&authority=", UrlEncode(f.authority), "&as_at=", UrlEncode(f.as_at));
}

std::string DateField(const char* id, const char* label, const std::string& value, const char* hint = "") {
  return absl::StrCat("<div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label govuk-label--s\" for=\"",
                      id, "\">", label, "</label>", hint[0] ? absl::StrCat("<div class=\"govuk-hint\" id=\"", id, "-hint\">", hint, "</div>") : "",
                      "<input class=\"govuk-input govuk-input--width-10\" id=\"", id, "\" name=\"", id, "\" type=\"",
                      std::string(id) == "as_at" ? "text" : "date", "\" value=\"", Escape(value), "\"",
                      hint[0] ? absl::StrCat(" aria-describedby=\"", id, "-hint\"") : "", "></div>");
}

std::string ReportFormHtml(const ReportForm& f, const char* action, const char* button) {
  return absl::StrCat("<form method=\"get\" action=\"", action, "\" class=\"homeward-filters\">",
                      "<input type=\"hidden\" name=\"name\" value=\"", Escape(f.name), "\">",
                      DateField("from", "From", f.from), DateField("to", "To", f.to),
                      "<div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label govuk-label--s\" "
                      "for=\"authority\">Authority</label><input class=\"govuk-input govuk-input--width-10\" id=\"authority\" "
                      "name=\"authority\" type=\"text\" spellcheck=\"false\" value=\"",
                      Escape(f.authority), "\"></div>",
                      DateField("as_at", "As at", f.as_at, "Empty for now, or e.g. 2026-12-01T09:00:00Z"),
                      "<button type=\"submit\" class=\"govuk-button homeward-filter-button\" data-module=\"govuk-button\">",
                      button, "</button></form>");
}

}  // namespace

std::string FormatAxis(double v, bool percent) {
  const std::string n = std::abs(v - std::round(v)) < 1e-9 ? absl::StrCat(static_cast<int64_t>(std::llround(v))) : Num(v);
  return percent ? n + "%" : n;
}

std::string ReportChartSvg(const v1::ReportSection& section, const std::string& id) {
  std::vector<int> series;
  for (const std::string& key : section.chart().series()) {
    if (const int c = ColumnOf(section, key); c >= 0) series.push_back(c);
  }
  if (series.empty() || section.chart().kind() == v1::ReportChart::KIND_UNSPECIFIED) return "";
  std::vector<std::string> names;
  for (int c : series) names.push_back(section.columns(c).label());
  const bool line = section.chart().kind() == v1::ReportChart::KIND_LINE;
  std::string svg = line ? LineChart(section, series, id) : BarChart(section, series, id);
  const std::string title = section.chart().title().empty() ? section.title() : section.chart().title();
  const std::string desc = absl::StrCat(line ? "Line chart" : "Bar chart", " of ", absl::StrJoin(names, ", "), " by ",
                                        section.row_heading(), ". The table below gives every figure; a withheld small "
                                        "number is marked, not drawn.");
  // <title> and <desc> first in the SVG, as the accessible name and description.
  const size_t after_open = svg.find('>') + 1;
  svg.insert(after_open, absl::StrCat("<title id=\"", id, "-title\">", Escape(title), "</title><desc id=\"", id, "-desc\">",
                                      Escape(desc), "</desc>"));
  return absl::StrCat("<figure class=\"homeward-chart-figure\">", svg, "</svg>", Legend(section, series), "</figure>");
}

std::string ReportTable(const v1::ReportSection& s, const std::string& id) {
  std::string html = absl::StrCat("<div class=\"homeward-table-scroll\" role=\"region\" aria-labelledby=\"", id,
                                  "-caption\" tabindex=\"0\"><table class=\"govuk-table homeward-report-table\"><caption id=\"",
                                  id, "-caption\" class=\"govuk-table__caption govuk-table__caption--s\">", Escape(s.title()),
                                  ": the figures</caption><thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">"
                                  "<th scope=\"col\" class=\"govuk-table__header\">",
                                  Escape(s.row_heading()), "</th>");
  for (const v1::ReportColumn& c : s.columns()) {
    absl::StrAppend(&html, "<th scope=\"col\" class=\"govuk-table__header govuk-table__header--numeric\"",
                    c.help().empty() ? "" : absl::StrCat(" title=\"", Escape(c.help()), "\""), ">", Escape(c.label()), "</th>");
  }
  absl::StrAppend(&html, "</tr></thead><tbody class=\"govuk-table__body\">");
  for (const v1::ReportRow& r : s.rows()) {
    absl::StrAppend(&html, "<tr class=\"govuk-table__row", r.total() ? " homeward-total" : "", "\"><th scope=\"row\" class=\"govuk-table__header\">",
                    Escape(r.label()), "</th>");
    for (const v1::ReportCell& cell : r.cells()) {
      absl::StrAppend(&html, "<td class=\"govuk-table__cell govuk-table__cell--numeric\">", Escape(cell.display()), "</td>");
    }
    absl::StrAppend(&html, "</tr>");
  }
  return html + "</tbody></table></div>";
}

std::string ReportsPage(const Viewer& viewer, const v1::ListReportsResponse& reports, const ReportForm& form) {
  std::string body = absl::StrCat(
      Heading("Partnership reports", "The audit's monitoring questions"),
      "<p class=\"govuk-body\">Counts, rates and medians from every agency's records, as they stood at a time you can "
      "choose. No child is named: a count below ", reports.suppression_threshold(), " shows as &lt;",
      reports.suppression_threshold(), ", with enough others withheld that it cannot be worked out.</p>");
  for (const v1::ReportDescription& r : reports.reports()) {
    if (r.statutory() && viewer.role != "coordinator") continue;
    ReportForm f = form;
    f.name = r.name();
    absl::StrAppend(&body, "<div class=\"homeward-report-card\"><h2 class=\"govuk-heading-m\">",
                    Link(absl::StrCat(r.statutory() ? "/reports/return?" : "/reports/run?", Query(f)), r.title()),
                    r.statutory() ? " <strong class=\"govuk-tag govuk-tag--orange\">Lists children</strong>" : "",
                    "</h2><p class=\"govuk-body\">", Escape(r.description()), "</p></div>");
  }
  return Render({.title = "Partnership reports", .body = std::move(body), .viewer = &viewer, .current = "/reports"});
}

std::string ReportPage(const Viewer& viewer, const v1::Report& report, const ReportForm& form) {
  // The same figures again, whenever: the form with the as-at time the hub used.
  ReportForm again = form;
  again.as_at = AsAtText(report.as_at());
  const std::vector<std::pair<std::string, std::string>> about = {
      {"Period", Escape(absl::StrCat(Day(report.from()), " to ", Day(report.to()), " (", report.time_zone(), ")"))},
      {"Authority", Escape(report.authority().empty() ? "Every authority" : report.authority())},
      {"As at", absl::StrCat(Escape(When(report.as_at())), " — ",
                             Link(absl::StrCat("/reports/run?", Query(again)), "a link to these figures"))},
      {"Small numbers", absl::StrCat("&lt;", report.suppression_threshold(), ": fewer than ", report.suppression_threshold(),
                                     ", withheld. [c]: a rate or median withheld because it rests on one. –: nothing to "
                                     "count.")}};
  std::string body = absl::StrCat(Heading(report.title(), "Partnership report"), "<p class=\"govuk-body-l\">",
                                  Escape(report.description()), "</p>", ReportFormHtml(form, "/reports/run", "Show the report"),
                                  SummaryList(about), "<p class=\"govuk-body\">",
                                  Link(absl::StrCat("/reports/download?", Query(form)), "Download the figures (CSV)"), "</p>");
  if (!report.notes().empty()) {
    std::string notes = "<ul class=\"govuk-list govuk-list--bullet\">";
    for (const std::string& n : report.notes()) absl::StrAppend(&notes, "<li>", Escape(n), "</li>");
    absl::StrAppend(&body, Details("How this was counted", notes + "</ul>"));
  }
  absl::StrAppend(&body, "<nav aria-label=\"Sections of the report\"><ul class=\"govuk-list homeward-section-links\">");
  for (int i = 0; i < report.sections_size(); ++i) {
    absl::StrAppend(&body, "<li><a class=\"govuk-link\" href=\"#section-", i, "\">", Escape(report.sections(i).title()), "</a></li>");
  }
  absl::StrAppend(&body, "</ul></nav>");
  for (int i = 0; i < report.sections_size(); ++i) {
    const v1::ReportSection& s = report.sections(i);
    const std::string id = absl::StrCat("section-", i);
    absl::StrAppend(&body, "<section class=\"homeward-report-section\" aria-labelledby=\"", id, "-heading\"><h2 class=\"govuk-heading-m\" id=\"",
                    id, "-heading\"><span id=\"", id, "\"></span>", Escape(s.title()), "</h2>");
    if (!s.description().empty()) absl::StrAppend(&body, "<p class=\"govuk-body\">", Escape(s.description()), "</p>");
    absl::StrAppend(&body, ReportChartSvg(s, absl::StrCat(id, "-chart")), ReportTable(s, id), "</section>");
  }
  return Render({.title = report.title(),
                 .body = std::move(body),
                 .viewer = &viewer,
                 .current = "/reports",
                 .breadcrumbs = {{"Reports", "/reports"}}});
}

std::string ReturnPage(const Viewer& viewer, const v1::StatutoryReturn& ret, const ReportForm& form) {
  std::string body = absl::StrCat(
      Heading(ret.name() == "ssda903-missing" ? "SSDA903 Missing table" : "Annex A List 8: children who went missing",
              "Statutory return"),
      Warning("This return lists children by their LA child id. Keep the file as you keep case records; your download "
              "is on the access log."),
      ReportFormHtml(form, "/reports/return", "Make the return"),
      SummaryList(std::vector<std::pair<std::string, std::string>>{
          {"Authority", Escape(ret.authority())},
          {"As at", Escape(When(ret.as_at()))},
          {"Rows", absl::StrCat(ret.rows_size())},
          {"Validation", ret.findings().empty()
                             ? std::string("No findings: it passes the 903 rules the hub checks")
                             : absl::StrCat(ret.findings_size(), " finding(s) to correct before submitting")}}),
      "<p class=\"govuk-body\">", Link(absl::StrCat("/reports/return.csv?", Query(form)), absl::StrCat("Download ", ret.file_name())),
      "</p>");
  if (!ret.findings().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::ValidationFinding& f : ret.findings()) {
      rows.push_back({Escape(f.rule()), f.row() > 0 ? absl::StrCat(f.row()) : "–", Escape(f.message())});
    }
    absl::StrAppend(&body, Table("Validation findings", {"Rule", "Row", "Finding"}, rows));
  }
  for (const std::string& n : ret.notes()) absl::StrAppend(&body, Inset(Escape(n)));
  std::vector<std::vector<std::string>> rows;
  for (const v1::StatutoryReturn::Row& r : ret.rows()) {
    std::vector<std::string> cells;
    for (const std::string& v : r.values()) cells.push_back(Escape(v));
    rows.push_back(std::move(cells));
  }
  absl::StrAppend(&body, "<div class=\"homeward-table-scroll\" role=\"region\" aria-label=\"The return\" tabindex=\"0\">",
                  Table("The return", {ret.columns().begin(), ret.columns().end()}, rows), "</div>");
  return Render({.title = "Statutory return", .body = std::move(body), .viewer = &viewer, .current = "/reports",
                 .breadcrumbs = {{"Reports", "/reports"}}});
}

}  // namespace homeward::web
