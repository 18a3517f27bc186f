// The duty team's alert queue, and one alert with the records that caused it.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

std::string StateTag(const v1::Alert& a) {
  const std::string state = EnumWords(v1::AlertState_Name(a.state()), "ALERT_STATE_");
  const char* colour = a.state() == v1::ALERT_STATE_RAISED         ? "red"
                       : a.state() == v1::ALERT_STATE_ACKNOWLEDGED ? "yellow"
                       : a.state() == v1::ALERT_STATE_ACTIONED     ? "green"
                                                                   : "grey";
  return Tag(state, colour);
}

bool Open(const v1::Alert& a) { return a.state() < v1::ALERT_STATE_CLOSED; }

std::string Select(absl::string_view id, absl::string_view label, const std::vector<std::pair<std::string, std::string>>& options,
                   absl::string_view chosen) {
  std::string html = absl::StrCat("<div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" for=\"", id,
                                  "\">", label, "</label><select class=\"govuk-select\" id=\"", id, "\" name=\"", id, "\">");
  for (const auto& [value, text] : options) {
    absl::StrAppend(&html, "<option value=\"", Escape(value), "\"", value == chosen ? " selected" : "", ">", Escape(text),
                    "</option>");
  }
  return html + "</select></div>";
}

}  // namespace

std::string AlertRow(const Viewer& viewer, const v1::Alert& a) {
  const std::string about =
      a.child_id().empty() ? std::string("the hub itself")
      : viewer.role == "coordinator"
          ? Link(absl::StrCat("/child/profile?id=", UrlEncode(a.child_id())), a.child_id())
          : Escape(a.child_id());
  std::string actions;
  if (Open(a)) {
    if (a.state() == v1::ALERT_STATE_RAISED) {
      absl::StrAppend(&actions, "<form method=\"post\" action=\"/alerts/act\" class=\"homeward-inline-form\">",
                      CsrfField(viewer), "<input type=\"hidden\" name=\"id\" value=\"", Escape(a.alert_id()),
                      "\"><input type=\"hidden\" name=\"action\" value=\"ack\"><button type=\"submit\" class=\"govuk-button "
                      "homeward-small-button\" data-module=\"govuk-button\">Acknowledge<span class=\"govuk-visually-hidden\"> ",
                      Escape(a.rule_id()), " for ", Escape(a.child_id()), "</span></button></form>");
    }
    const std::string reason_id = absl::StrCat("reason-", UrlEncode(a.alert_id()));
    absl::StrAppend(&actions,
                    Details("Close with a reason",
                            absl::StrCat("<form method=\"post\" action=\"/alerts/act\">", CsrfField(viewer),
                                         "<input type=\"hidden\" name=\"id\" value=\"", Escape(a.alert_id()),
                                         "\"><input type=\"hidden\" name=\"action\" value=\"close\"><div "
                                         "class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"",
                                         Escape(reason_id), "\">Why close it</label><input class=\"govuk-input\" id=\"",
                                         Escape(reason_id), "\" name=\"reason\" type=\"text\" maxlength=\"1000\" "
                                         "required></div><button type=\"submit\" class=\"govuk-button "
                                         "govuk-button--warning homeward-small-button\" data-module=\"govuk-button\">"
                                         "Close alert</button></form>")));
  }
  return absl::StrCat(
      "<tr class=\"govuk-table__row", a.escalated() ? " homeward-escalated" : "", "\" id=\"alert-", UrlEncode(a.alert_id()),
      "\" data-alert-id=\"", Escape(a.alert_id()), "\"><td class=\"govuk-table__cell\">", SeverityTag(a),
      a.escalated() ? absl::StrCat(" ", Tag("escalated", "red")) : "", "</td><td class=\"govuk-table__cell\"><strong>",
      Escape(a.rule_id()), "</strong><br>", about, "<br><span class=\"govuk-body-s\">", Escape(a.reason()),
      "</span><br>", Link(absl::StrCat("/alerts/records?id=", UrlEncode(a.alert_id())), "Records that caused it"),
      "</td><td class=\"govuk-table__cell\">", Escape(When(a.raised_at())), "</td><td class=\"govuk-table__cell\">",
      StateTag(a), a.acknowledged_by().empty() ? "" : absl::StrCat("<br><span class=\"govuk-body-s\">by ", Escape(a.acknowledged_by()), "</span>"),
      "</td><td class=\"govuk-table__cell\">", actions, "</td></tr>");
}

std::string AlertsPage(const Viewer& viewer, const v1::ListAlertsResponse& alerts, const AlertFilters& f,
                       absl::string_view notice) {
  const bool duty = viewer.role == "duty_team";
  std::string body;
  if (!notice.empty()) absl::StrAppend(&body, Notice(notice));
  absl::StrAppend(&body, Heading(duty ? "Alert queue" : "Alerts"),
                  "<p class=\"govuk-body\">", duty ? absl::StrCat("Alerts for ", Escape(viewer.team), ", ") : "Alerts for ",
                  Escape(viewer.authority), ", most urgent first: strategy meetings, then escalations, compliance, "
                  "notifications and data quality; newest first within each. New alerts and changes appear here as "
                  "they happen.</p>");
  absl::StrAppend(
      &body, "<form method=\"get\" action=\"/alerts\" class=\"homeward-filters\">",
      Select("state", "State",
             {{"open", "Open"}, {"raised", "Raised"}, {"acknowledged", "Acknowledged"}, {"actioned", "Actioned"},
              {"closed", "Closed"}, {"withdrawn", "Withdrawn (never due)"}, {"all", "All"}},
             f.state),
      Select("severity", "Severity",
             {{"", "All"}, {"strategy meeting", "Strategy meeting"}, {"escalation", "Escalation"},
              {"compliance", "Compliance"}, {"notification", "Notification"}, {"data quality", "Data quality"}},
             f.severity),
      Select("rule", "Rule",
             {{"", "All"}, {"repeat-missing", "repeat-missing"}, {"long-missing", "long-missing"},
              {"high-risk", "high-risk"}, {"young-child", "young-child"}, {"exploitation", "exploitation"},
              {"rhi-overdue", "rhi-overdue"}, {"trigger-plan-missing", "trigger-plan-missing"},
              {"normalised-risk", "normalised-risk"}, {"category-mismatch", "category-mismatch"},
              {"out-of-area", "out-of-area"}, {"early-help", "early-help"}, {"impossible-times", "impossible-times"},
              {"log-gap", "log-gap"}},
             f.rule),
      f.child.empty() ? "" : absl::StrCat("<input type=\"hidden\" name=\"child\" value=\"", Escape(f.child), "\">"),
      "<button type=\"submit\" class=\"govuk-button govuk-button--secondary homeward-filter-button\" "
      "data-module=\"govuk-button\">Show</button></form>");
  const int first = alerts.before() + 1, last = alerts.before() + alerts.alerts_size();
  absl::StrAppend(&body, "<p class=\"govuk-body\" id=\"alert-count\">",
                  alerts.total() == 0 ? std::string("No alerts.")
                                      : absl::StrCat("Alerts ", first, " to ", last, " of ", alerts.total(), "."),
                  "</p><div id=\"alert-live\" class=\"govuk-visually-hidden\" aria-live=\"polite\"></div>");
  absl::StrAppend(&body, "<table class=\"govuk-table homeward-alert-queue\" data-feed-cursor=\"", Escape(alerts.feed_cursor()),
                  "\"><caption class=\"govuk-table__caption govuk-visually-hidden\">Alerts</caption><thead "
                  "class=\"govuk-table__head\"><tr class=\"govuk-table__row\"><th scope=\"col\" "
                  "class=\"govuk-table__header\">Severity</th><th scope=\"col\" class=\"govuk-table__header\">Alert"
                  "</th><th scope=\"col\" class=\"govuk-table__header\">Raised</th><th scope=\"col\" "
                  "class=\"govuk-table__header\">State</th><th scope=\"col\" class=\"govuk-table__header\">Action"
                  "</th></tr></thead><tbody class=\"govuk-table__body\">");
  for (const v1::Alert& a : alerts.alerts()) absl::StrAppend(&body, AlertRow(viewer, a));
  absl::StrAppend(&body, "</tbody></table>");
  if (!alerts.next_page_token().empty()) {
    absl::StrAppend(&body, "<nav class=\"govuk-pagination govuk-pagination--block\" aria-label=\"Results\"><div "
                           "class=\"govuk-pagination__next\"><a class=\"govuk-link govuk-pagination__link\" href=\"/alerts?state=",
                    UrlEncode(f.state), "&amp;severity=", UrlEncode(f.severity), "&amp;rule=", UrlEncode(f.rule),
                    "&amp;child=", UrlEncode(f.child), "&amp;page=", UrlEncode(alerts.next_page_token()),
                    "\" rel=\"next\"><span class=\"govuk-pagination__link-title\">Next page</span></a></div></nav>");
  }
  return Render({.title = duty ? "Alert queue" : "Alerts", .body = std::move(body), .viewer = &viewer, .current = "/alerts"});
}

std::string AlertRecordsPage(const Viewer& viewer, const v1::Alert& a, const std::vector<v1::ChronologyEntry>& records) {
  std::vector<std::string> history;
  for (const v1::AlertTransition& t : a.history()) {
    history.push_back(absl::StrCat("<li>", Escape(EnumWords(v1::AlertTransition::Kind_Name(t.kind()), "KIND_")), " ",
                                   Escape(When(t.at())), " by ", Escape(t.by()),
                                   t.note().empty() ? "" : absl::StrCat(": ", Escape(t.note())), "</li>"));
  }
  std::string body = absl::StrCat(
      Heading(a.rule_id(), "Alert"),
      SummaryList({{"Severity", absl::StrCat(SeverityTag(a), a.escalated() ? absl::StrCat(" ", Tag("escalated", "red")) : "")},
                   {"About", Escape(a.child_id().empty() ? "the hub itself" : a.child_id())},
                   {"Why", Escape(a.reason())},
                   {"What to do", Escape(a.recommended_action())},
                   {"Raised", Escape(When(a.raised_at()))},
                   {"Due (event time)", Escape(When(a.due_at()))},
                   {"State", absl::StrCat(StateTag(a), a.merged_into().empty() ? "" : absl::StrCat(" into ", Escape(a.merged_into())))},
                   {"Routed to", Escape(absl::StrCat(a.team(), " (", absl::StrJoin(a.authorities(), ", "), ")"))},
                   {"History", history.empty() ? "" : absl::StrCat("<ul class=\"govuk-list\">", absl::StrJoin(history, ""), "</ul>")},
                   {"Alert id", Escape(a.alert_id())}}),
      "<h2 class=\"govuk-heading-m\">The records that caused it</h2>");
  if (a.more_causes() > 0) {
    absl::StrAppend(&body, "<p class=\"govuk-body\">The latest ", a.cause_event_ids_size(), " of ",
                    a.cause_event_ids_size() + a.more_causes(), " records; the child's timeline has them all.</p>");
  }
  for (const v1::ChronologyEntry& e : records) absl::StrAppend(&body, EntryBlock(e));
  if (records.empty()) absl::StrAppend(&body, "<p class=\"govuk-body\">None of its records is held now.</p>");
  return Render({.title = absl::StrCat("Alert ", a.rule_id()),
                 .body = std::move(body),
                 .viewer = &viewer,
                 .current = "/alerts",
                 .breadcrumbs = {{"Alerts", "/alerts"}}});
}

}  // namespace homeward::web
