// Administrators' probable matches, and auditors' access log and its verification.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

std::string Born(const v1::CivilDate& d) {
  return d.year() == 0 ? "-" : absl::StrCat(d.day(), "/", d.month(), "/", d.year());
}

std::string ChildCell(const v1::ChildSummary& c) {
  return absl::StrCat("<strong>", Escape(c.child_id()), "</strong><br>", Escape(absl::StrJoin(c.names(), "; ")),
                      ", born ", Escape(Born(c.date_of_birth())), "<br><span class=\"govuk-body-s\">",
                      Escape(absl::StrJoin(c.identifiers(), ", ")), "</span>");
}

}  // namespace

std::string MatchesPage(const Viewer& viewer, const v1::ListProbableMatchesResponse& matches, absl::string_view notice,
                        absl::string_view error) {
  std::string body;
  if (!notice.empty()) absl::StrAppend(&body, Notice(notice));
  if (!error.empty()) absl::StrAppend(&body, ErrorSummary(error));
  absl::StrAppend(&body, Heading("Probable matches"),
                  "<p class=\"govuk-body\">Records that agree only on name and date of birth are never merged by "
                  "themselves. Check with the agencies, then link them as one child or keep them separate, saying "
                  "why: the decision is on the record, and every replica applies it.</p>");
  if (matches.matches().empty()) absl::StrAppend(&body, "<p class=\"govuk-body\">No probable matches wait for a decision.</p>");
  int i = 0;
  for (const v1::ProbableMatch& m : matches.matches()) {
    const std::string reason_id = absl::StrCat("reason-", i++);
    absl::StrAppend(&body, "<div class=\"homeward-match\">",
                    SummaryList({{"First record", ChildCell(m.a())}, {"Second record", ChildCell(m.b())},
                                 {"Why proposed", Escape(m.evidence())}}),
                    "<form method=\"post\" action=\"/matches/decide\">", CsrfField(viewer),
                    "<input type=\"hidden\" name=\"a\" value=\"", Escape(m.a().child_id()),
                    "\"><input type=\"hidden\" name=\"b\" value=\"", Escape(m.b().child_id()),
                    "\"><div class=\"govuk-form-group\"><label class=\"govuk-label\" for=\"", reason_id,
                    "\">Reason (what you checked, with whom)</label><input class=\"govuk-input\" id=\"", reason_id,
                    "\" name=\"reason\" type=\"text\" maxlength=\"1000\" required></div><div class=\"govuk-button-group\">"
                    "<button type=\"submit\" name=\"decision\" value=\"link\" class=\"govuk-button\" "
                    "data-module=\"govuk-button\">Link as one child</button><button type=\"submit\" name=\"decision\" "
                    "value=\"separate\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">Keep "
                    "separate</button></div></form></div>");
  }
  return Render({.title = "Probable matches", .body = std::move(body), .viewer = &viewer, .current = "/matches"});
}

std::string AccessPage(const Viewer& viewer, const v1::ListAccessResponse& entries, absl::string_view child,
                       absl::string_view subject) {
  std::string body = absl::StrCat(
      Heading("Who looked at what"),
      "<form method=\"get\" action=\"/access\" class=\"homeward-filters\"><div class=\"govuk-form-group "
      "homeward-filter\"><label class=\"govuk-label\" for=\"child\">Child</label><input class=\"govuk-input\" "
      "id=\"child\" name=\"child\" type=\"text\" spellcheck=\"false\" value=\"",
      Escape(child), "\"></div><div class=\"govuk-form-group homeward-filter\"><label class=\"govuk-label\" "
      "for=\"subject\">Person or system</label><input class=\"govuk-input\" id=\"subject\" name=\"subject\" "
      "type=\"text\" spellcheck=\"false\" value=\"",
      Escape(subject), "\"></div><button type=\"submit\" class=\"govuk-button govuk-button--secondary "
      "homeward-filter-button\" data-module=\"govuk-button\">Show</button></form>");
  std::vector<std::vector<std::string>> rows;
  for (const v1::AccessEntry& e : entries.entries()) {
    rows.push_back({absl::StrCat(e.seq()), Escape(When(e.at())),
                    absl::StrCat(Escape(e.subject()), "<br><span class=\"govuk-body-s\">", Escape(e.role()),
                                 e.authority().empty() ? "" : absl::StrCat(", ", Escape(e.authority())), "</span>"),
                    absl::StrCat(Escape(e.method()), "<br><span class=\"govuk-body-s\">", Escape(e.child_id()), "</span>"),
                    absl::StrCat(e.outcome() == "OK" ? Tag("disclosed", "green") : Tag("refused", "red"),
                                 "<br><span class=\"govuk-body-s\">", Escape(e.detail()), "</span>"),
                    absl::StrCat(Escape(e.purpose()), "<br><span class=\"govuk-body-s\">", Escape(e.lawful_basis()),
                                 "</span>")});
  }
  absl::StrAppend(&body, Table(absl::StrCat(entries.entries_size(), " entries, newest last"),
                               {"#", "When", "Who", "What", "Outcome", "Purpose and basis"}, rows));
  return Render({.title = "Access log", .body = std::move(body), .viewer = &viewer, .current = "/access"});
}

std::string VerifyPage(const Viewer& viewer, const v1::VerifyAccessLogResponse& r) {
  std::string body = Heading("Verify the access log");
  if (r.intact()) {
    absl::StrAppend(&body, Notice(absl::StrCat("The access log is intact: ", r.entries(), " entries, sealed, and ",
                                               r.anchors_checked(), " anchors outside it vouch for entry ",
                                               r.anchored_seq(), ".")),
                    SummaryList({{"Head", absl::StrCat("<code>", Escape(r.head_hash()), "</code>")}}));
  } else {
    absl::StrAppend(&body, Warning(absl::StrCat("The access log is NOT intact: ", r.breaks_size() + r.more_breaks(),
                                                " break(s). Tell the data protection officer.")));
    std::string list = "<ul class=\"govuk-list govuk-list--bullet\">";
    for (const std::string& b : r.breaks()) absl::StrAppend(&list, "<li>", Escape(b), "</li>");
    absl::StrAppend(&body, list, "</ul>");
  }
  return Render({.title = "Verify the access log", .body = std::move(body), .viewer = &viewer, .current = "/verify"});
}

}  // namespace homeward::web
