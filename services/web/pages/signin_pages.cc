// Signing in, the purpose of the session, the home page and the error pages.
#include "absl/strings/str_cat.h"
#include "services/web/pages.h"

namespace homeward::web {
namespace {

std::string NextField(absl::string_view next) {
  return absl::StrCat("<input type=\"hidden\" name=\"next\" value=\"", Escape(next), "\">");
}

}  // namespace

std::string SignInPage(const std::vector<std::string>& demo_people, absl::string_view nonce, absl::string_view next,
                       absl::string_view error) {
  std::string body;
  if (!error.empty()) absl::StrAppend(&body, ErrorSummary(error, "token"));
  absl::StrAppend(&body, Heading("Sign in"),
                  "<p class=\"govuk-body\">Sign in with the access token your organisation gave you. The hub "
                  "checks it, and shows you only what your role may see.</p>"
                  "<form method=\"post\" action=\"/signin\" novalidate>",
                  "<input type=\"hidden\" name=\"nonce\" value=\"", Escape(nonce), "\">", NextField(next),
                  "<div class=\"govuk-form-group", error.empty() ? "" : " govuk-form-group--error",
                  "\"><label class=\"govuk-label govuk-label--s\" for=\"token\">Access token</label>"
                  "<div id=\"token-hint\" class=\"govuk-hint\">It starts with hw1.</div>",
                  error.empty() ? "" : absl::StrCat("<p id=\"token-error\" class=\"govuk-error-message\"><span "
                                                    "class=\"govuk-visually-hidden\">Error:</span> ",
                                                    Escape(error), "</p>"),
                  "<textarea class=\"govuk-textarea\" id=\"token\" name=\"token\" rows=\"3\" autocomplete=\"off\" "
                  "spellcheck=\"false\" aria-describedby=\"token-hint",
                  error.empty() ? "" : " token-error", "\"></textarea></div>"
                  "<button type=\"submit\" class=\"govuk-button\" data-module=\"govuk-button\">Sign in</button></form>");
  if (!demo_people.empty()) {
    absl::StrAppend(&body,
                    "<h2 class=\"govuk-heading-m\">Demonstration people</h2><p class=\"govuk-body\">This workspace "
                    "runs with development tokens (<code>make run</code>). Sign in as one of the demonstration "
                    "people:</p><form method=\"post\" action=\"/signin\">",
                    "<input type=\"hidden\" name=\"nonce\" value=\"", Escape(nonce), "\">", NextField(next),
                    "<div class=\"govuk-button-group\">");
    for (const std::string& person : demo_people) {
      absl::StrAppend(&body, "<button type=\"submit\" name=\"demo\" value=\"", Escape(person),
                      "\" class=\"govuk-button govuk-button--secondary\" data-module=\"govuk-button\">", Escape(person),
                      "</button>");
    }
    absl::StrAppend(&body, "</div></form>");
  }
  return Render({.title = "Sign in", .body = std::move(body)});
}

std::string PurposePage(const Viewer& viewer, const std::map<std::string, std::string>& lawful_bases,
                        absl::string_view next, absl::string_view error) {
  std::string body;
  if (!error.empty()) absl::StrAppend(&body, ErrorSummary(error, "purpose"));
  absl::StrAppend(&body, Heading("Why are you looking?"),
                  "<p class=\"govuk-body\">Say once for this session why you need these records and on what lawful "
                  "basis. The access log keeps both with every record you open (golden rule 7: record what was "
                  "shared, with whom and why).</p><form method=\"post\" action=\"/purpose\" novalidate>",
                  CsrfField(viewer), NextField(next),
                  "<div class=\"govuk-form-group\"><label class=\"govuk-label govuk-label--s\" for=\"purpose\">Purpose"
                  "</label><div id=\"purpose-hint\" class=\"govuk-hint\">For example, preparing the strategy meeting "
                  "for a child missing three times in 90 days</div><input class=\"govuk-input\" id=\"purpose\" "
                  "name=\"purpose\" type=\"text\" maxlength=\"500\" aria-describedby=\"purpose-hint\" value=\"",
                  Escape(viewer.purpose), "\"></div>",
                  "<div class=\"govuk-form-group\"><fieldset class=\"govuk-fieldset\"><legend class=\"govuk-fieldset__"
                  "legend govuk-fieldset__legend--s\">Lawful basis</legend><div class=\"govuk-radios\" "
                  "data-module=\"govuk-radios\">");
  int i = 0;
  for (const auto& [code, description] : lawful_bases) {
    const std::string id = absl::StrCat("basis-", i++);
    absl::StrAppend(&body, "<div class=\"govuk-radios__item\"><input class=\"govuk-radios__input\" id=\"", id,
                    "\" name=\"lawful_basis\" type=\"radio\" value=\"", Escape(code), "\"", i == 1 ? " checked" : "",
                    "><label class=\"govuk-label govuk-radios__label\" for=\"", id, "\">", Escape(description),
                    "</label></div>");
  }
  absl::StrAppend(&body, "</div></fieldset></div><button type=\"submit\" class=\"govuk-button\" "
                         "data-module=\"govuk-button\">Continue</button></form>");
  return Render({.title = "Purpose", .body = std::move(body), .viewer = &viewer});
}

std::string HomePage(const Viewer& viewer) {
  std::string body = Heading("Homeward", "Missing children: the shared picture");
  if (viewer.role == "coordinator") {
    absl::StrAppend(
        &body,
        "<p class=\"govuk-body\">Find a child by any identifier an agency uses, or by family name and date of "
        "birth, to see every agency's records, the episodes reconciled from them, and the child's profile.</p>",
        "<form method=\"get\" action=\"/search\"><div class=\"govuk-form-group\"><label class=\"govuk-label "
        "govuk-label--s\" for=\"identifier\">Identifier</label><div id=\"identifier-hint\" class=\"govuk-hint\">For "
        "example la:coventry/LA-7003, nhs:9990001014 or police:west-midlands/PP-100231</div><input "
        "class=\"govuk-input govuk-!-width-two-thirds\" id=\"identifier\" name=\"identifier\" type=\"text\" "
        "aria-describedby=\"identifier-hint\" spellcheck=\"false\"></div><button type=\"submit\" class=\"govuk-button\" "
        "data-module=\"govuk-button\">Find</button></form><p class=\"govuk-body\">",
        Link("/search", "Search by name and date of birth"), " · ", Link("/alerts", "Alerts for your authority"), " · ",
        Link("/reports", "Partnership reports"), "</p>");
  } else if (viewer.role == "duty_team") {
    absl::StrAppend(&body, "<p class=\"govuk-body\">", Link("/alerts", "Your team's alert queue"), "</p>");
  } else if (viewer.role == "administrator") {
    absl::StrAppend(&body, "<p class=\"govuk-body\">", Link("/matches", "Probable matches waiting for a decision"), "</p>");
  } else if (viewer.role == "report_viewer") {
    absl::StrAppend(&body, "<p class=\"govuk-body\">", Link("/reports", "Partnership reports"),
                    ": return home interviews, episodes, normalisation, recording, strategy meetings, out of area, "
                    "residential homes and alerts.</p>");
  } else if (viewer.role == "auditor") {
    absl::StrAppend(&body, "<p class=\"govuk-body\">", Link("/access", "Who looked at what"), " · ",
                    Link("/verify", "Verify the access log"), "</p>");
  }
  return Render({.title = "Home", .body = std::move(body), .viewer = &viewer, .current = "/"});
}

std::string ErrorPage(const Viewer* viewer, int status, absl::string_view message) {
  std::string title;
  std::string advice;
  switch (status) {
    case 400: title = "There is a problem with the request"; break;
    case 403:
      title = "You cannot see this";
      advice = "Your role does not allow it, or this record is outside your authority. If you need it, ask "
               "the person who manages your access to Homeward.";
      break;
    case 404: title = "Page not found"; advice = "No record names this child, or the address is wrong."; break;
    case 409: title = "Already done"; break;
    case 429: title = "Too many people signed in"; advice = "Try again in a few minutes."; break;
    case 503: title = "Homeward cannot be reached"; advice = "The hub is not answering. Try again shortly."; break;
    default: title = "Sorry, there is a problem with the service"; advice = "Try again later."; break;
  }
  std::string body = absl::StrCat(Heading(title), "<p class=\"govuk-body\">", Escape(message), "</p>");
  if (!advice.empty()) absl::StrAppend(&body, "<p class=\"govuk-body\">", Escape(advice), "</p>");
  absl::StrAppend(&body, "<p class=\"govuk-body\">", Link("/", "Go to the start page"), "</p>");
  return Render({.title = title, .body = std::move(body), .viewer = viewer});
}

}  // namespace homeward::web
