// Finding a child, the child's profile and episodes, and one chronology entry as a block.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "homeward/v1/event.pb.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

std::string ChildLink(absl::string_view page, absl::string_view child, absl::string_view text) {
  return Link(absl::StrCat("/child/", page, "?id=", UrlEncode(child)), text);
}

std::string DateOf(const v1::CivilDate& d) {
  return d.year() == 0 ? "-" : absl::StrCat(d.day(), "/", d.month(), "/", d.year());
}

std::string List(const google::protobuf::RepeatedPtrField<std::string>& items) {
  if (items.empty()) return "";
  std::string html = "<ul class=\"govuk-list govuk-list--bullet\">";
  for (const std::string& item : items) absl::StrAppend(&html, "<li>", Escape(item), "</li>");
  return html + "</ul>";
}

std::vector<std::pair<std::string, std::string>> ChildCrumbs(absl::string_view child) {
  return {{"Find a child", "/"}, {std::string(child), absl::StrCat("/child/profile?id=", UrlEncode(child))}};
}

std::string ChildTabs(absl::string_view child, absl::string_view current) {
  std::string html = "<nav class=\"homeward-tabs\" aria-label=\"The child's records\"><ul class=\"govuk-list\">";
  for (const auto& [page, text] : std::vector<std::pair<std::string, std::string>>{
           {"profile", "Profile"}, {"timeline", "Timeline"}, {"episodes", "Episodes"}}) {
    if (page == current) {
      absl::StrAppend(&html, "<li><strong aria-current=\"page\">", text, "</strong></li>");
    } else {
      absl::StrAppend(&html, "<li>", ChildLink(page, child, text), "</li>");
    }
  }
  return html + "</ul></nav>";
}

}  // namespace

std::string SeverityTag(const v1::Alert& alert) {
  const std::string& s = alert.severity();
  const char* colour = s == "strategy meeting" ? "red"
                       : s == "escalation"     ? "orange"
                       : s == "compliance"     ? "yellow"
                       : s == "notification"   ? "blue"
                                               : "grey";
  return Tag(s, colour);
}

std::string EntryBlock(const v1::ChronologyEntry& entry) {
  const v1::Event& e = entry.event();
  std::string tags;
  if (entry.superseded_event_ids_size() > 0) {
    absl::StrAppend(&tags, " ", Tag(absl::StrCat("amended (", entry.superseded_event_ids_size(), " earlier)"), "purple"));
  }
  if (entry.has_received_at() && entry.received_at().seconds() - e.occurred_at().seconds() > 24 * 3600) {
    const int64_t days = (entry.received_at().seconds() - e.occurred_at().seconds()) / (24 * 3600);
    absl::StrAppend(&tags, " ", Tag(absl::StrCat("arrived ", days, " day", days == 1 ? "" : "s", " after the event"), "grey"));
  }
  if (entry.masked_fields_size() > 0) absl::StrAppend(&tags, " ", Tag("withheld in part", "orange"));
  std::string html = absl::StrCat(
      "<div class=\"homeward-entry\" id=\"", Escape(e.event_id()), "\"><p class=\"govuk-body-s homeward-entry__meta\">",
      "<time datetime=\"", e.occurred_at().seconds(), "\">", Escape(When(e.occurred_at(), entry.date_only())),
      "</time> · <strong class=\"homeward-entry__agency\">", Escape(e.agency_id()), "</strong> (", Escape(EnumWords(v1::AgencyKind_Name(e.agency_kind()),
                                                                                   "AGENCY_KIND_")),
      ") · ", Escape(Words(entry.kind())), tags, "</p><p class=\"govuk-body homeward-entry__summary\">",
      Escape(entry.summary()), "</p>");
  if (!entry.withheld_because().empty()) {
    absl::StrAppend(&html, "<p class=\"govuk-body-s homeward-withheld\">", Escape(entry.withheld_because()), "</p>");
  }
  if (e.has_return_interview()) {
    const v1::ReturnInterview& r = e.return_interview();
    std::string voice;
    if (!r.childs_own_words().empty()) {
      absl::StrAppend(&voice, "<p class=\"govuk-body\"><strong>In the child's own words</strong></p><blockquote "
                              "class=\"homeward-voice\">“", Escape(r.childs_own_words()), "”</blockquote>");
    }
    if (!r.push_factors().empty()) absl::StrAppend(&voice, "<p class=\"govuk-body\"><strong>Push factors</strong></p>", List(r.push_factors()));
    if (!r.pull_factors().empty()) absl::StrAppend(&voice, "<p class=\"govuk-body\"><strong>Pull factors</strong></p>", List(r.pull_factors()));
    if (!r.where_and_with_whom().empty()) {
      absl::StrAppend(&voice, "<p class=\"govuk-body\"><strong>Where and with whom:</strong> ", Escape(r.where_and_with_whom()), "</p>");
    }
    if (!r.exploitation_indicators().empty()) {
      absl::StrAppend(&voice, "<p class=\"govuk-body\"><strong>Exploitation indicators</strong></p>",
                      List(r.exploitation_indicators()));
    }
    if (!voice.empty()) absl::StrAppend(&html, Inset(voice));
  }
  absl::StrAppend(&html, "<p class=\"govuk-body-s homeward-entry__source\">Record ", Escape(e.source_record()),
                  ", revision ", e.revision(), "</p></div>");
  return html;
}

std::string SearchPage(const Viewer& viewer, const SearchForm& form, const v1::SearchChildrenResponse* results,
                       absl::string_view error) {
  std::string body;
  if (!error.empty()) absl::StrAppend(&body, ErrorSummary(error));
  absl::StrAppend(
      &body, Heading("Find a child"),
      "<form method=\"get\" action=\"/search\"><div class=\"govuk-form-group\"><label class=\"govuk-label "
      "govuk-label--s\" for=\"identifier\">Identifier</label><div id=\"identifier-hint\" class=\"govuk-hint\">Any "
      "identifier an agency uses: nhs:, la:, police:, upn:</div><input class=\"govuk-input govuk-!-width-two-thirds\" "
      "id=\"identifier\" name=\"identifier\" type=\"text\" spellcheck=\"false\" aria-describedby=\"identifier-hint\" "
      "value=\"",
      Escape(form.identifier), "\"></div><p class=\"govuk-body\">Or by name and date of birth:</p>",
      "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"family_name\">Family name"
      "</label><input class=\"govuk-input govuk-!-width-one-half\" id=\"family_name\" name=\"family_name\" "
      "type=\"text\" autocomplete=\"off\" value=\"",
      Escape(form.family_name), "\"></div><div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" "
      "for=\"given_name\">Given name (optional)</label><input class=\"govuk-input govuk-!-width-one-half\" "
      "id=\"given_name\" name=\"given_name\" type=\"text\" autocomplete=\"off\" value=\"",
      Escape(form.given_name), "\"></div><div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" "
      "for=\"date_of_birth\">Date of birth</label><input class=\"govuk-input govuk-input--width-10\" "
      "id=\"date_of_birth\" name=\"date_of_birth\" type=\"date\" value=\"",
      Escape(form.date_of_birth), "\"></div><button type=\"submit\" class=\"govuk-button\" "
      "data-module=\"govuk-button\">Find</button></form>");
  if (results != nullptr) {
    if (results->children().empty()) {
      absl::StrAppend(&body, "<p class=\"govuk-body\">No child found (or none you may see).</p>");
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const v1::ChildSummary& c : results->children()) {
        rows.push_back({ChildLink("timeline", c.child_id(), c.child_id()), Escape(absl::StrJoin(c.names(), "; ")),
                        Escape(DateOf(c.date_of_birth())), Escape(absl::StrJoin(c.identifiers(), ", "))});
      }
      absl::StrAppend(&body, Table("Children found", {"Child", "Names", "Born", "Identifiers"}, rows));
    }
  }
  return Render({.title = "Find a child", .body = std::move(body), .viewer = &viewer, .current = "/"});
}

std::string ProfilePage(const Viewer& viewer, const v1::ChildProfile& p) {
  std::string body = absl::StrCat(Heading(p.child_id(), "Child profile"), ChildTabs(p.child_id(), "profile"));
  std::vector<std::string> records;
  for (const v1::LinkedRecord& r : p.linked_records()) {
    records.push_back(absl::StrCat(Escape(r.agency_id()), " (", r.entries(), ")"));
  }
  std::string placement = "Not looked after; no placement recorded (not known to social care)";
  if (p.has_placement()) {
    const v1::PlacementChanged& pl = p.placement();
    placement = absl::StrCat(p.looked_after() ? "Looked after" : "Not looked after", ", placed by ",
                             Escape(pl.placing_authority()), " in ", Escape(pl.host_authority()), ", ",
                             Escape(pl.placement_type()), ", since ", Escape(When(p.placement_since())),
                             p.placed_out_of_area() ? absl::StrCat(" ", Tag("out of area", "orange")) : "");
  }
  absl::StrAppend(&body, "<h2 class=\"govuk-heading-m\">Who</h2>",
                  SummaryList({{"Identifiers", Escape(absl::StrJoin(p.identifiers(), ", "))},
                               {"Names as recorded", Escape(absl::StrJoin(p.names(), "; "))},
                               {"Date of birth", Escape(DateOf(p.date_of_birth()))},
                               {"Sex", Escape(EnumWords(v1::Sex_Name(p.sex()), "SEX_"))},
                               {"Records by agency", absl::StrJoin(records, ", ")},
                               {"Placement", placement}}));
  absl::StrAppend(
      &body, "<h2 class=\"govuk-heading-m\">Risk summary</h2>",
      SummaryList(
          {{"Episodes",
            absl::StrCat(p.episodes_total(), " in all; ", p.episodes_in_repeat_window(), " within ",
                         p.repeat_window_days(), " days up to the latest (as rule repeat-missing counts); ",
                         p.episodes_last_12_months(), " in the last 12 months")},
           {"Now", p.currently_missing() ? Tag("currently missing", "red") : std::string("not missing")},
           {"Latest grade", Escape(EnumWords(v1::RiskGrade_Name(p.latest_grade()), "RISK_GRADE_"))},
           {"Exploitation concerns", Escape(absl::StrJoin(p.exploitation_concerns(), "; "))},
           {"Last return home interview",
            Escape(EnumWords(v1::InterviewOutcome_Name(p.last_interview_outcome()), "INTERVIEW_OUTCOME_"))}}));
  if (!p.data_quality_flags().empty()) {
    absl::StrAppend(&body, "<h2 class=\"govuk-heading-m\">Data quality</h2>");
    for (const std::string& f : p.data_quality_flags()) absl::StrAppend(&body, Warning(f));
  }
  const int open = p.open_alerts_size() + p.more_open_alerts();
  absl::StrAppend(&body, "<h2 class=\"govuk-heading-m\">Open alerts (", open, ")</h2>");
  std::vector<std::vector<std::string>> rows;
  for (const v1::Alert& a : p.open_alerts()) {
    rows.push_back({SeverityTag(a), Escape(a.rule_id()), Escape(a.reason()),
                    Escape(EnumWords(v1::AlertState_Name(a.state()), "ALERT_STATE_")),
                    Link(absl::StrCat("/alerts/records?id=", UrlEncode(a.alert_id())), "records")});
  }
  if (!rows.empty()) absl::StrAppend(&body, Table("", {"Severity", "Rule", "Why", "State", "Caused by"}, rows));
  if (p.more_open_alerts() > 0) {
    absl::StrAppend(&body, "<p class=\"govuk-body\">", Link(absl::StrCat("/alerts?child=", UrlEncode(p.child_id())),
                                                            "Every open alert of this child"), "</p>");
  }
  return Render({.title = absl::StrCat("Profile of ", p.child_id()),
                 .body = std::move(body),
                 .viewer = &viewer,
                 .current = "/",
                 .breadcrumbs = ChildCrumbs(p.child_id())});
}

std::string EpisodesPage(const Viewer& viewer, const v1::GetEpisodesResponse& response) {
  std::string body = absl::StrCat(Heading(response.child_id(), "Episodes"), ChildTabs(response.child_id(), "episodes"),
                                  "<p class=\"govuk-body\">", response.total_episodes(),
                                  " episode(s), each reconciled from every agency's record of the same absence.</p>");
  for (const v1::Episode& ep : response.episodes()) {
    absl::StrAppend(&body, "<h2 class=\"govuk-heading-m\">", Escape(When(ep.start())), " to ",
                    ep.has_end() ? Escape(When(ep.end())) : std::string("still open"), "</h2>",
                    SummaryList({{"Category", ep.categories_differ()
                                                  ? Tag("agencies differ", "orange")
                                                  : Escape(EnumWords(v1::AbsenceCategory_Name(ep.category()),
                                                                     "ABSENCE_CATEGORY_"))},
                                 {"Highest grade", Escape(EnumWords(v1::RiskGrade_Name(ep.highest_grade()), "RISK_GRADE_"))}}));
    std::vector<std::vector<std::string>> rows;
    for (const v1::EpisodeSource& s : ep.sources()) {
      rows.push_back({Escape(s.agency_id()), Escape(s.source_record()), Escape(s.category_as_recorded()),
                      Escape(When(s.start(), s.date_only())), s.has_end() ? Escape(When(s.end(), s.date_only())) : "open",
                      Escape(EnumWords(v1::RiskGrade_Name(s.latest_grade()), "RISK_GRADE_")),
                      s.amended() ? Tag("amended", "purple") : ""});
    }
    absl::StrAppend(&body, Table("Sources", {"Agency", "Record", "As recorded", "From", "To", "Latest grade", ""}, rows));
    for (const v1::InterviewStatus& i : ep.interviews()) {
      absl::StrAppend(&body, "<p class=\"govuk-body\">Return home interview ", Escape(i.source_record()), ": ",
                      Escape(EnumWords(v1::InterviewOutcome_Name(i.outcome()), "INTERVIEW_OUTCOME_")), ", ",
                      Escape(When(i.at())), "</p>");
    }
    for (const std::string& f : ep.flags()) absl::StrAppend(&body, Warning(f));
  }
  return Render({.title = absl::StrCat("Episodes of ", response.child_id()),
                 .body = std::move(body),
                 .viewer = &viewer,
                 .current = "/",
                 .breadcrumbs = ChildCrumbs(response.child_id())});
}

}  // namespace homeward::web
