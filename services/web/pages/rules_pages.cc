// The risk rules for the partnership (issue 16, point 1): the rules in force, and what a proposed
// rule set would have raised over a period of the hub's log, beside them.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

std::string Day(const v1::CivilDate& d) { return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day()); }

// "10 days 4 hours earlier", "2 hours later", "at the same time".
std::string ShiftWords(const google::protobuf::Duration& d) {
  const absl::Duration span = absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
  if (span == absl::ZeroDuration()) return "at the same time";
  const absl::Duration magnitude = absl::AbsDuration(span);
  const int64_t days = magnitude / absl::Hours(24);
  const int64_t hours = (magnitude % absl::Hours(24)) / absl::Hours(1);
  std::string text;
  if (days > 0) absl::StrAppend(&text, days, days == 1 ? " day" : " days");
  if (hours > 0 || days == 0) absl::StrAppend(&text, days > 0 ? " " : "", hours, hours == 1 ? " hour" : " hours");
  return absl::StrCat(text, span < absl::ZeroDuration() ? " earlier" : " later");
}

std::string Number(double v) { return absl::StrFormat("%g", v); }

std::string Children(int n) { return absl::StrCat(n, n == 1 ? " child" : " children"); }

std::string WhatIfFormHtml(const Viewer& viewer, const WhatIfForm& form, bool error) {
  return absl::StrCat(
      "<form method=\"post\" action=\"/rules/what-if\" novalidate>", CsrfField(viewer),
      "<div class=\"govuk-form-group", error ? " govuk-form-group--error" : "", "\">",
      "<h2 class=\"govuk-label-wrapper\"><label class=\"govuk-label govuk-label--m\" for=\"proposed\">Proposed rules</label></h2>",
      "<div id=\"proposed-hint\" class=\"govuk-hint\">A whole rules file, as config/rules.json: change a threshold and give "
      "that rule its next version.</div>",
      "<textarea class=\"govuk-textarea govuk-!-font-family-monospace\" id=\"proposed\" name=\"proposed\" rows=\"12\" "
      "aria-describedby=\"proposed-hint\" spellcheck=\"false\">",
      Escape(form.proposed), "</textarea></div>",
      "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"from\">From (first day)</label>"
      "<input class=\"govuk-input govuk-input--width-10\" id=\"from\" name=\"from\" type=\"date\" value=\"",
      Escape(form.from), "\"></div>",
      "<div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"to\">To (last day)</label>"
      "<input class=\"govuk-input govuk-input--width-10\" id=\"to\" name=\"to\" type=\"date\" value=\"",
      Escape(form.to), "\"></div>",
      "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Compare with the rules in force</button>"
      "</form>");
}

std::string ResultHtml(const v1::WhatIfResponse& r) {
  std::string html = absl::StrCat(
      "<h2 class=\"govuk-heading-l\" id=\"result\">What the proposal would have raised</h2>",
      "<p class=\"govuk-body\">", Day(r.from()), " to ", Day(r.to()), ": ", r.events_replayed(),
      " records replayed through both rule sets. Nothing was published or raised.</p>");
  std::vector<std::vector<std::string>> changes;
  for (const v1::RuleChange& c : r.changes()) {
    changes.push_back({Escape(c.rule_id().empty() ? "All rules" : c.rule_id()), Escape(c.change())});
  }
  if (changes.empty()) {
    absl::StrAppend(&html, Inset("The proposed rules are the rules in force: the figures below are the same for both."));
  } else {
    absl::StrAppend(&html, Table("Changes proposed", {"Rule", "Change"}, changes));
  }
  absl::StrAppend(&html, SummaryList({
      {"Children with a strategy-meeting alert",
       Escape(absl::StrCat(r.meeting_children_in_force(), " under the rules in force, ", r.meeting_children_proposed(),
                           " under the proposal"))},
      {"Of children under both",
       Escape(absl::StrCat(r.meeting_earlier(), " earlier, ", r.meeting_later(), " later",
                           r.has_meeting_median_shift() ? absl::StrCat(" (median: ", ShiftWords(r.meeting_median_shift()), ")") : ""))},
      {"Only under the rules in force", Escape(Children(r.meeting_only_in_force_count()))},
      {"Only under the proposal", Escape(Children(r.meeting_only_proposed_count()))},
  }));
  std::vector<std::vector<std::string>> rows;
  for (const v1::RuleOutcome& o : r.rules()) {
    rows.push_back({Escape(o.rule_id()), o.in_force() ? absl::StrCat(o.alerts_in_force()) : "off",
                    o.proposed() ? absl::StrCat(o.alerts_proposed()) : "off",
                    absl::StrCat(o.children_in_force()), absl::StrCat(o.children_proposed()),
                    absl::StrCat(o.earlier(), " / ", o.later()),
                    o.has_median_shift() ? Escape(ShiftWords(o.median_shift())) : "–"});
  }
  absl::StrAppend(&html, Table("Alerts first raised in the period, by rule",
                               {"Rule", "Alerts in force", "Alerts proposed", "Children in force", "Children proposed",
                                "Earlier / later", "Median shift"},
                               rows));
  for (const auto& [title, named] : {std::pair{"Children with a strategy meeting only under the rules in force", &r.meeting_only_in_force()},
                                     std::pair{"Children with a strategy meeting only under the proposal", &r.meeting_only_proposed()}}) {
    if (named->empty()) continue;
    std::vector<std::vector<std::string>> children;
    for (const v1::MeetingDifference& d : *named) {
      children.push_back({Link(absl::StrCat("/child/profile?id=", UrlEncode(d.child_id())), d.child_id()), Escape(d.rule_id()),
                          Escape(When(d.first_alert())), Escape(absl::StrJoin(d.authorities(), ", "))});
    }
    absl::StrAppend(&html, Table(title, {"Child", "Rule", "First alert", "Authorities"}, children));
  }
  if (!r.not_named_because().empty()) absl::StrAppend(&html, Inset(Escape(r.not_named_because())));
  return html;
}

}  // namespace

std::string RulesPage(const Viewer& viewer, const v1::ListRulesResponse& rules, const WhatIfForm& form,
                      const v1::WhatIfResponse* result, absl::string_view error) {
  std::string body;
  if (!error.empty()) absl::StrAppend(&body, ErrorSummary(error, "proposed"));
  absl::StrAppend(&body, Heading("Risk rules", absl::StrCat("Rules history revision ", rules.revision())),
                  "<p class=\"govuk-body\">What raises a strategy-meeting alert, and what a different threshold would "
                  "have raised over the hub's own records.</p>");
  if (result != nullptr) absl::StrAppend(&body, ResultHtml(*result));
  absl::StrAppend(&body, "<h2 class=\"govuk-heading-l\">What if?</h2>", WhatIfFormHtml(viewer, form, !error.empty()));
  std::vector<std::vector<std::string>> rows;
  for (const v1::RuleInfo& r : rules.rules()) {
    std::string params;
    for (const v1::RuleParameter& p : r.parameters()) {
      absl::StrAppend(&params, params.empty() ? "" : "<br>", Escape(p.name()), " = ", Number(p.value()), " ",
                      Escape(p.unit()));
    }
    rows.push_back({absl::StrCat("<strong>", Escape(r.id()), "</strong> v", r.version(),
                                 r.enabled() ? "" : " <strong class=\"govuk-tag govuk-tag--grey\">Off</strong>"),
                    Escape(r.summary()), params.empty() ? "–" : params, Escape(r.severity()), Escape(r.source())});
  }
  absl::StrAppend(&body, "<h2 class=\"govuk-heading-l\">The rules in force</h2>",
                  Table("Rules in force", {"Rule", "Looks for", "Parameters", "Severity", "Source"}, rows));
  return Render({.title = "Risk rules", .body = std::move(body), .viewer = &viewer, .current = "/rules"});
}

}  // namespace homeward::web
