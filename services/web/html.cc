#include "services/web/html.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

namespace homeward::web {
namespace {

absl::TimeZone Uk() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone tz;
    return absl::LoadTimeZone("Europe/London", &tz) ? tz : absl::UTCTimeZone();
  }();
  return zone;
}

struct NavItem {
  const char* href;
  const char* text;
};

// What each role's navigation offers: the pages the hub lets that role use.
std::vector<NavItem> NavFor(const std::string& role) {
  if (role == "coordinator") {
    return {{"/", "Find a child"}, {"/alerts", "Alerts"}, {"/reports", "Reports"}, {"/rules", "Rules"}};
  }
  if (role == "report_viewer") return {{"/reports", "Reports"}, {"/rules", "Rules"}};
  if (role == "duty_team") return {{"/alerts", "Alert queue"}};
  if (role == "administrator") return {{"/matches", "Probable matches"}};
  if (role == "auditor") return {{"/access", "Access log"}, {"/verify", "Verify the log"}};
  return {};
}

std::string RoleWords(const std::string& role) {
  if (role == "duty_team") return "duty team";
  if (role == "report_viewer") return "report viewer";
  return role;
}

}  // namespace

std::string Escape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string UrlEncode(absl::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Render(const Page& page) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\" class=\"govuk-template govuk-template--rebranded\">\n<head>\n"
      "<meta charset=\"utf-8\">\n<title>",
      Escape(page.title), " – Homeward</title>\n",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, viewport-fit=cover\">\n"
      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">\n"
      "<link rel=\"stylesheet\" href=\"/govuk/govuk-frontend.min.css\">\n"
      "<link rel=\"stylesheet\" href=\"/static/workspace.css\">\n</head>\n"
      "<body class=\"govuk-template__body",
      page.print ? " homeward-print" : "", "\">\n<script src=\"/static/js-enabled.js\"></script>\n");
  if (!page.print) {
    absl::StrAppend(&html,
                    "<a href=\"#main-content\" class=\"govuk-skip-link\" data-module=\"govuk-skip-link\">Skip to "
                    "main content</a>\n<header class=\"govuk-generic-header\">\n<div class=\"govuk-generic-header__"
                    "container govuk-width-container\"><div class=\"govuk-generic-header__logo\"><a href=\"/\" "
                    "class=\"govuk-generic-header__homepage-link\">Homeward</a></div></div>\n</header>\n");
    absl::StrAppend(&html,
                    "<section aria-label=\"Service information\" class=\"govuk-service-navigation\" "
                    "data-module=\"govuk-service-navigation\"><div class=\"govuk-width-container\"><div "
                    "class=\"govuk-service-navigation__container\"><span class=\"govuk-service-navigation__"
                    "service-name\"><span class=\"govuk-service-navigation__text\">Missing children: the shared "
                    "picture</span></span>");
    if (page.viewer != nullptr) {
      absl::StrAppend(&html,
                      "<nav aria-label=\"Menu\" class=\"govuk-service-navigation__wrapper\"><ul "
                      "class=\"govuk-service-navigation__list\" id=\"navigation\">");
      for (const NavItem& item : NavFor(page.viewer->role)) {
        const bool current = page.current == item.href;
        absl::StrAppend(&html, "<li class=\"govuk-service-navigation__item",
                        current ? " govuk-service-navigation__item--active" : "",
                        "\"><a class=\"govuk-service-navigation__link\" href=\"", item.href, "\"",
                        current ? " aria-current=\"page\"" : "", ">",
                        current ? absl::StrCat("<strong class=\"govuk-service-navigation__active-fallback\">",
                                               item.text, "</strong>")
                                : item.text,
                        "</a></li>");
      }
      absl::StrAppend(&html, "</ul></nav>");
    }
    absl::StrAppend(&html, "</div></div></section>\n<div class=\"govuk-width-container\">\n");
    absl::StrAppend(&html,
                    "<div class=\"govuk-phase-banner\"><p class=\"govuk-phase-banner__content\"><strong "
                    "class=\"govuk-tag govuk-phase-banner__content__tag\">Development</strong><span "
                    "class=\"govuk-phase-banner__text\">Synthetic data only. Every page you open is on the access "
                    "log, with your purpose.</span></p></div>\n");
    if (page.viewer != nullptr) {
      absl::StrAppend(&html, "<div class=\"homeward-whoami govuk-body-s\">Signed in as <strong>",
                      Escape(page.viewer->subject), "</strong> (", Escape(RoleWords(page.viewer->role)),
                      page.viewer->authority.empty() ? "" : ", ", Escape(page.viewer->authority),
                      page.viewer->team.empty() ? "" : ", ", Escape(page.viewer->team), ")",
                      page.viewer->purpose.empty() ? "" : absl::StrCat(" · purpose: ", Escape(page.viewer->purpose)),
                      " <form method=\"post\" action=\"/signout\" class=\"homeward-inline-form\">",
                      CsrfField(*page.viewer),
                      "<button type=\"submit\" class=\"govuk-button govuk-button--secondary homeward-small-button\" "
                      "data-module=\"govuk-button\">Sign out</button></form></div>\n");
    }
    if (!page.breadcrumbs.empty()) {
      absl::StrAppend(&html, "<nav class=\"govuk-breadcrumbs\" aria-label=\"Breadcrumb\"><ol class=\"govuk-breadcrumbs__list\">");
      for (const auto& [text, href] : page.breadcrumbs) {
        absl::StrAppend(&html, "<li class=\"govuk-breadcrumbs__list-item\"><a class=\"govuk-breadcrumbs__link\" href=\"",
                        Escape(href), "\">", Escape(text), "</a></li>");
      }
      absl::StrAppend(&html, "</ol></nav>\n");
    }
  } else {
    absl::StrAppend(&html, "<div class=\"govuk-width-container\">\n");
  }
  absl::StrAppend(&html, "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n", page.body, "\n</main>\n</div>\n");
  if (!page.print) {
    absl::StrAppend(&html,
                    "<footer class=\"govuk-footer\"><div class=\"govuk-width-container\"><div class=\"govuk-footer__"
                    "meta\"><div class=\"govuk-footer__meta-item govuk-footer__meta-item--grow\"><p "
                    "class=\"govuk-body-s\">Homeward shares what each agency recorded about a child who goes "
                    "missing, under DPA 2018 Schedule 1 paragraph 18 and the partnership's information-sharing "
                    "agreement. What you see is what you need to know: some fields are withheld from some "
                    "roles.</p></div></div></div></footer>\n");
  }
  absl::StrAppend(&html,
                  "<script type=\"module\" src=\"/static/workspace.js\"></script>\n</body>\n</html>\n");
  return html;
}

std::string Heading(absl::string_view title, absl::string_view caption) {
  return absl::StrCat(caption.empty() ? "" : absl::StrCat("<span class=\"govuk-caption-l\">", Escape(caption), "</span>"),
                      "<h1 class=\"govuk-heading-l\">", Escape(title), "</h1>");
}

std::string SummaryList(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string html = "<dl class=\"govuk-summary-list\">";
  for (const auto& [key, value] : rows) {
    absl::StrAppend(&html, "<div class=\"govuk-summary-list__row\"><dt class=\"govuk-summary-list__key\">", Escape(key),
                    "</dt><dd class=\"govuk-summary-list__value\">", value.empty() ? "-" : value, "</dd></div>");
  }
  return html + "</dl>";
}

std::string Tag(absl::string_view text, absl::string_view colour) {
  return absl::StrCat("<strong class=\"govuk-tag", colour.empty() ? "" : absl::StrCat(" govuk-tag--", colour), "\">",
                      Escape(text), "</strong>");
}

std::string Table(absl::string_view caption, const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string html = "<table class=\"govuk-table\">";
  if (!caption.empty()) {
    absl::StrAppend(&html, "<caption class=\"govuk-table__caption govuk-table__caption--m\">", Escape(caption),
                    "</caption>");
  }
  absl::StrAppend(&html, "<thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">");
  for (const std::string& h : headers) absl::StrAppend(&html, "<th scope=\"col\" class=\"govuk-table__header\">", Escape(h), "</th>");
  absl::StrAppend(&html, "</tr></thead><tbody class=\"govuk-table__body\">");
  for (const auto& row : rows) {
    absl::StrAppend(&html, "<tr class=\"govuk-table__row\">");
    for (const std::string& cell : row) absl::StrAppend(&html, "<td class=\"govuk-table__cell\">", cell, "</td>");
    absl::StrAppend(&html, "</tr>");
  }
  return html + "</tbody></table>";
}

std::string ErrorSummary(absl::string_view message, absl::string_view field_id) {
  const std::string item = field_id.empty() ? Escape(message)
                                            : absl::StrCat("<a href=\"#", Escape(field_id), "\">", Escape(message), "</a>");
  return absl::StrCat(
      "<div class=\"govuk-error-summary\" data-module=\"govuk-error-summary\"><div role=\"alert\"><h2 "
      "class=\"govuk-error-summary__title\">There is a problem</h2><div class=\"govuk-error-summary__body\"><ul "
      "class=\"govuk-list govuk-error-summary__list\"><li>",
      item, "</li></ul></div></div></div>");
}

std::string Notice(absl::string_view message) {
  return absl::StrCat(
      "<div class=\"govuk-notification-banner govuk-notification-banner--success\" role=\"alert\" "
      "aria-labelledby=\"notice-title\" data-module=\"govuk-notification-banner\"><div "
      "class=\"govuk-notification-banner__header\"><h2 class=\"govuk-notification-banner__title\" "
      "id=\"notice-title\">Done</h2></div><div class=\"govuk-notification-banner__content\"><p "
      "class=\"govuk-notification-banner__heading\">",
      Escape(message), "</p></div></div>");
}

std::string Warning(absl::string_view message) {
  return absl::StrCat(
      "<div class=\"govuk-warning-text\"><span class=\"govuk-warning-text__icon\" aria-hidden=\"true\">!</span><strong "
      "class=\"govuk-warning-text__text\"><span class=\"govuk-visually-hidden\">Warning</span>",
      Escape(message), "</strong></div>");
}

std::string Inset(absl::string_view html) { return absl::StrCat("<div class=\"govuk-inset-text\">", html, "</div>"); }

std::string Details(absl::string_view summary, absl::string_view html) {
  return absl::StrCat("<details class=\"govuk-details\"><summary class=\"govuk-details__summary\"><span "
                      "class=\"govuk-details__summary-text\">",
                      Escape(summary), "</span></summary><div class=\"govuk-details__text\">", html, "</div></details>");
}

std::string CsrfField(const Viewer& viewer) {
  return absl::StrCat("<input type=\"hidden\" name=\"csrf\" value=\"", Escape(viewer.csrf), "\">");
}

std::string Link(absl::string_view href, absl::string_view text) {
  return absl::StrCat("<a class=\"govuk-link\" href=\"", Escape(href), "\">", Escape(text), "</a>");
}

std::string When(const google::protobuf::Timestamp& t, bool date_only) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  const absl::Time at = absl::FromUnixSeconds(t.seconds());
  // A date-only record's time is midnight UTC on its day: read in UTC, it stays that day.
  return absl::StrReplaceAll(
      absl::FormatTime(date_only ? "%a %e %b %Y" : "%a %e %b %Y, %H:%M", at, date_only ? absl::UTCTimeZone() : Uk()),
      {{"  ", " "}});
}

std::string IsoDate(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(t.seconds()), Uk());
}

std::string Words(absl::string_view text) { return absl::StrReplaceAll(text, {{"-", " "}, {"_", " "}}); }

std::string EnumWords(absl::string_view enum_name, absl::string_view prefix) {
  std::string s(enum_name.substr(enum_name.rfind(prefix, 0) == 0 ? prefix.size() : 0));
  s = absl::AsciiStrToLower(absl::StrReplaceAll(s, {{"_", " "}}));
  return s == "unspecified" ? "-" : s;
}

}  // namespace homeward::web
