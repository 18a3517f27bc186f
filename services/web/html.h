// File: html.h
//
// The workspace's HTML: the GOV.UK Design System's page template and the components its pages
// use (govuk-frontend's classes and markup, served by the workspace itself: no CDN), built as
// strings. Everything an agency, a person or the hub wrote goes through Escape; functions that
// take `html` take markup already built by this file.
//
// The workspace is not a GOV.UK service, so it uses the generic header (no crown) and, as the
// Design System asks of services off GOV.UK, Arial rather than the GDS Transport typeface
// (web/static/workspace.css).
#ifndef HOMEWARD_SERVICES_WEB_HTML_H_
#define HOMEWARD_SERVICES_WEB_HTML_H_

#include <google/protobuf/timestamp.pb.h>

#include <string>
#include "absl/strings/string_view.h"
#include <utility>
#include <vector>

namespace homeward::web {

// Text for element content or a quoted attribute value: & < > " ' escaped.
std::string Escape(absl::string_view text);
// A query-string or form value, percent-encoded.
std::string UrlEncode(absl::string_view text);

// Who is looking, for the header, the navigation and every form.
struct Viewer {
  std::string subject;
  std::string role;  // "coordinator", "duty_team", "auditor", "administrator"
  std::string authority;
  std::string team;
  std::string csrf;
  std::string purpose;
};

struct Page {
  std::string title;        // the page's own title (the browser tab adds "Homeward")
  std::string body;         // html of <main>
  const Viewer* viewer = nullptr;  // nullptr: signed out (no navigation)
  std::string current;      // the navigation item's path that is this page, e.g. "/alerts"
  bool print = false;       // a print view: no header, navigation or footer
  std::vector<std::pair<std::string, std::string>> breadcrumbs;  // (text, href)
};

// The whole document.
std::string Render(const Page& page);

// ---- components ----

// <h1> with an optional caption above it.
std::string Heading(absl::string_view title, absl::string_view caption = "");
// A summary list of (key text, value html) rows.
std::string SummaryList(const std::vector<std::pair<std::string, std::string>>& rows);
// A tag: "grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange",
// "yellow" or "" (the default, dark blue).
std::string Tag(absl::string_view text, absl::string_view colour = "");
// A table: a caption, header texts and rows of cell html.
std::string Table(absl::string_view caption, const std::vector<std::string>& headers,
                  const std::vector<std::vector<std::string>>& rows);
// The error summary at the top of a page, linking to `field_id` when given.
std::string ErrorSummary(absl::string_view message, absl::string_view field_id = "");
// A notification banner (success) with a message.
std::string Notice(absl::string_view message);
// Warning text ("!") with a message.
std::string Warning(absl::string_view message);
// Inset text around html.
std::string Inset(absl::string_view html);
// A <details> element.
std::string Details(absl::string_view summary, absl::string_view html);
// The hidden field carrying the viewer's CSRF token: in every form that changes anything.
std::string CsrfField(const Viewer& viewer);
// A link.
std::string Link(absl::string_view href, absl::string_view text);

// "Tue 3 Nov 2026, 19:10" in UK time, or "Tue 3 Nov 2026" when `date_only`; "-" when unset.
std::string When(const google::protobuf::Timestamp& t, bool date_only = false);
// "2026-11-03" (for date inputs).
std::string IsoDate(const google::protobuf::Timestamp& t);
// "missing reported" for "missing-reported"; readable enum names from proto names.
std::string Words(absl::string_view text);
std::string EnumWords(absl::string_view enum_name, absl::string_view prefix);

}  // namespace homeward::web

#endif  // HOMEWARD_SERVICES_WEB_HTML_H_
