#include "services/web/server.h"

#define CPPHTTPLIB_OPENSSL_SUPPORT
#include <httplib.h>
#include <openssl/rand.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/codec/event_codec.h"
#include "common/codec/report_csv.h"
#include "common/exclusive_listen.h"
#include "common/file.h"
#include "common/json/json.h"
#include "common/logging.h"
#include "services/web/pages.h"
#include "services/web/session.h"

namespace homeward::web {
namespace {

constexpr char kSessionCookie[] = "homeward_session";
constexpr char kSignInCookie[] = "homeward_signin";

// Headers on every answer: nothing cached, framed, sniffed or sent on as a referrer, and only
// the workspace's own scripts, styles and images.
void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                 "font-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Strict-Transport-Security", "max-age=31536000");
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
}

std::string Cookie(const httplib::Request& req, absl::string_view name) {
  for (absl::string_view part : absl::StrSplit(req.get_header_value("Cookie"), ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) return std::string(part);
  }
  return "";
}

std::string SetCookie(absl::string_view name, absl::string_view value, absl::string_view path, int max_age = -1) {
  return absl::StrCat(name, "=", value, "; Path=", path, "; HttpOnly; Secure; SameSite=Strict",
                      max_age >= 0 ? absl::StrCat("; Max-Age=", max_age) : "");
}

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : "";
}
std::vector<std::string> Params(const httplib::Request& req, const char* name) {
  std::vector<std::string> values;
  for (size_t i = 0; i < req.get_param_value_count(name); ++i) {
    std::string v = req.get_param_value(name, i);
    if (!v.empty()) values.push_back(std::move(v));
  }
  return values;
}

// A path on this site to go on to after signing in: never another site.
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || absl::StartsWith(next, "//") || absl::StrContains(next, "\\")) return "/";
  return next;
}

std::string PathAndQuery(const httplib::Request& req) {
  std::string query;
  for (const auto& [k, v] : req.params) absl::StrAppend(&query, query.empty() ? "?" : "&", UrlEncode(k), "=", UrlEncode(v));
  return req.path + query;
}

void Respond(httplib::Response& res, int status, std::string html) {
  res.status = status;
  res.set_content(std::move(html), "text/html; charset=utf-8");
}

void Redirect(httplib::Response& res, const std::string& to) {
  res.status = 303;
  res.set_header("Location", to);
}

// "YYYY-MM-DD" (UK) as a timestamp at the start of that day, and `days` later.
bool DayStart(const std::string& text, int days, google::protobuf::Timestamp* out) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return false;
  absl::TimeZone uk;
  if (!absl::LoadTimeZone("Europe/London", &uk)) uk = absl::UTCTimeZone();
  *out = ToProtoTime(absl::FromCivil(day + days, uk));
  return true;
}

std::string RandomBytes(size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    log::Error("web: the random source failed; refusing to make a secret");
    std::abort();  // a session id or CSRF token must never be guessable
  }
  return bytes;
}

// When the request this thread serves arrived (cpp-httplib serves each on one thread, from
// routing to its logger).
thread_local std::optional<absl::Time> request_started;

// The route a request is counted under: bounded, and never holding a query.
std::string RouteOf(const httplib::Request& req) {
  if (absl::StartsWith(req.path, "/static/")) return "/static";
  if (absl::StartsWith(req.path, "/govuk/")) return "/govuk";
  return req.matches.empty() ? "other" : req.path;  // matched a route: a literal path
}

}  // namespace

struct WebServer::Impl {
  Impl(const WebOptions& o, HubClient& h, const Clock& c)
      : options(o),
        hub(h),
        clock(c),
        metrics(o.metrics != nullptr ? *o.metrics : metrics::Discard()),
        sessions(c, &RandomBytes, {.idle_expiry = o.idle_expiry}),
        server(o.cert.c_str(), o.key.c_str()) {}

  const WebOptions options;
  HubClient& hub;
  const Clock& clock;
  metrics::Metrics& metrics;
  SessionStore sessions;
  std::unique_ptr<metrics::Collector> session_count;
  httplib::SSLServer server;
  std::thread thread;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::vector<std::string> demo_people;

  struct Visit {
    Session session;
    Viewer viewer;
    OnBehalfOf who() const { return {session.token, session.purpose, session.lawful_basis}; }
  };
  using Handler = std::function<void(const httplib::Request&, httplib::Response&, const Visit&)>;
  struct RouteOptions {
    bool asks_purpose = true;  // the page discloses something: the purpose must be given first
    bool changes = false;      // a POST that changes something: the CSRF token must come with it
  };

  static Viewer ViewerOf(const Session& s) {
    return {.subject = s.person.subject,
            .role = s.person.role,
            .authority = s.person.authority,
            .team = s.person.team,
            .csrf = s.csrf,
            .purpose = s.purpose};
  }

  // Every signed-in request: the session, the CSRF token, the purpose; then the page.
  httplib::Server::Handler Guard(Handler handler, RouteOptions route) {
    return [this, handler = std::move(handler), route](const httplib::Request& req, httplib::Response& res) {
      std::optional<Session> session = sessions.Find(Cookie(req, kSessionCookie));
      if (!session.has_value()) {
        if (route.changes) return Respond(res, 403, ErrorPage(nullptr, 403, "Your session has ended: sign in again."));
        return Redirect(res, absl::StrCat("/signin?next=", UrlEncode(PathAndQuery(req))));
      }
      Visit visit{*session, ViewerOf(*session)};
      if (route.changes && !SameSecret(Param(req, "csrf"), session->csrf)) {
        log::Warn("web: a request to {} without this session's CSRF token was refused", req.path);
        return Respond(res, 403, ErrorPage(&visit.viewer, 403, "This request did not come from a Homeward page, so it "
                                                            "was refused (a missing or wrong form token)."));
      }
      if (route.asks_purpose && session->purpose.empty()) {
        return Redirect(res, absl::StrCat("/purpose?next=", UrlEncode(req.method == "GET" ? PathAndQuery(req) : "/")));
      }
      handler(req, res, visit);
    };
  }

  // The hub's refusal as the page a person should see.
  void Refused(httplib::Response& res, const Visit& visit, const absl::Status& status) {
    switch (status.code()) {
      case absl::StatusCode::kUnauthenticated:  // the token expired or was revoked: sign in again
        sessions.End(visit.session.id);
        res.set_header("Set-Cookie", SetCookie(kSessionCookie, "", "/", 0));
        return Redirect(res, "/signin");
      case absl::StatusCode::kPermissionDenied: return Respond(res, 403, ErrorPage(&visit.viewer, 403, status.message()));
      case absl::StatusCode::kNotFound: return Respond(res, 404, ErrorPage(&visit.viewer, 404, status.message()));
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kOutOfRange: return Respond(res, 400, ErrorPage(&visit.viewer, 400, status.message()));
      case absl::StatusCode::kAlreadyExists:
      case absl::StatusCode::kFailedPrecondition: return Respond(res, 409, ErrorPage(&visit.viewer, 409, status.message()));
      case absl::StatusCode::kResourceExhausted: return Respond(res, 429, ErrorPage(&visit.viewer, 429, status.message()));
      case absl::StatusCode::kUnavailable:
      case absl::StatusCode::kDeadlineExceeded: return Respond(res, 503, ErrorPage(&visit.viewer, 503, status.message()));
      default: return Respond(res, 500, ErrorPage(&visit.viewer, 500, status.message()));
    }
  }

  void Routes();
  void SignInRoutes();
  void ChildRoutes();
  void AlertRoutes();
  void AdminRoutes();
  void ReportRoutes();
  void RulesRoutes();
};

void WebServer::Impl::SignInRoutes() {
  server.Get("/signin", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string nonce = absl::BytesToHexString(RandomBytes(16));
    res.set_header("Set-Cookie", SetCookie(kSignInCookie, nonce, "/signin", 900));
    Respond(res, 200, SignInPage(demo_people, nonce, SafeNext(Param(req, "next")), ""));
  });
  server.Post("/signin", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string next = SafeNext(Param(req, "next"));
    const std::string cookie_nonce = Cookie(req, kSignInCookie);
    if (cookie_nonce.empty() || !SameSecret(Param(req, "nonce"), cookie_nonce)) {
      return Respond(res, 403, ErrorPage(nullptr, 403, "This sign-in did not come from Homeward's sign-in page: open "
                                                    "the sign-in page again."));
    }
    std::string token(absl::StripAsciiWhitespace(Param(req, "token")));
    if (const std::string demo = Param(req, "demo"); !demo.empty()) {
      if (std::find(demo_people.begin(), demo_people.end(), demo) == demo_people.end()) {
        return Respond(res, 400, SignInPage(demo_people, cookie_nonce, next, "There is no such demonstration person."));
      }
      absl::StatusOr<std::string> file = ReadWholeFile(absl::StrCat(options.demo_tokens_dir, "/", demo, ".token"));
      if (!file.ok()) return Respond(res, 500, SignInPage(demo_people, cookie_nonce, next, std::string(file.status().message())));
      token = std::string(absl::StripAsciiWhitespace(*file));
    }
    if (token.empty()) return Respond(res, 400, SignInPage(demo_people, cookie_nonce, next, "Enter your access token."));
    absl::StatusOr<v1::WhoAmIResponse> who = hub.WhoAmI(token);
    if (!who.ok()) {
      const int status = absl::IsUnavailable(who.status()) ? 503 : 401;
      return Respond(res, status, SignInPage(demo_people, cookie_nonce, next,
                                          absl::StrCat("The hub did not accept this token: ", who.status().message())));
    }
    Person person{.subject = who->subject(),
                  .role = who->role(),
                  .agency = who->agency(),
                  .authority = who->authority(),
                  .team = who->team()};
    if (who->has_expires_at()) person.expires_at = FromProtoTime(who->expires_at());
    absl::StatusOr<Session> session =
        sessions.Start(token, person, {who->lawful_bases().begin(), who->lawful_bases().end()});
    if (!session.ok()) return Respond(res, 429, ErrorPage(nullptr, 429, session.status().message()));
    log::Info("web: a person signed in ({})", person.role);  // who: on the hub's access log (WhoAmI)
    res.set_header("Set-Cookie", SetCookie(kSessionCookie, session->id, "/"));
    Redirect(res, absl::StrCat("/purpose?next=", UrlEncode(next)));
  });
  server.Get("/purpose", Guard(
                             [this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
                               Respond(res, 200, PurposePage(v.viewer, v.session.lawful_bases, SafeNext(Param(req, "next")), ""));
                             },
                             {.asks_purpose = false}));
  server.Post("/purpose", Guard(
                              [this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
                                const std::string next = SafeNext(Param(req, "next"));
                                absl::Status set = sessions.SetPurpose(v.session.id, std::string(absl::StripAsciiWhitespace(
                                                                                         Param(req, "purpose"))),
                                                                       Param(req, "lawful_basis"));
                                if (!set.ok()) {
                                  return Respond(res, 400, PurposePage(v.viewer, v.session.lawful_bases, next, set.message()));
                                }
                                Redirect(res, next);
                              },
                              {.asks_purpose = false, .changes = true}));
  server.Post("/signout", Guard(
                              [this](const httplib::Request&, httplib::Response& res, const Visit& v) {
                                sessions.End(v.session.id);
                                res.set_header("Set-Cookie", SetCookie(kSessionCookie, "", "/", 0));
                                Redirect(res, "/signin");
                              },
                              {.asks_purpose = false, .changes = true}));
  server.Get("/", Guard([](const httplib::Request&, httplib::Response& res, const Visit& v) {
    Respond(res, 200, HomePage(v.viewer));
  }, {}));
}

void WebServer::Impl::ChildRoutes() {
  server.Get("/search", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    SearchForm form{.identifier = std::string(absl::StripAsciiWhitespace(Param(req, "identifier"))),
                    .family_name = Param(req, "family_name"),
                    .given_name = Param(req, "given_name"),
                    .date_of_birth = Param(req, "date_of_birth")};
    if (form.identifier.empty() && form.family_name.empty()) return Respond(res, 200, SearchPage(v.viewer, form, nullptr, ""));
    v1::SearchChildrenRequest request;
    if (!form.identifier.empty()) {
      request.set_identifier(form.identifier);
    } else {
      absl::CivilDay born;
      if (!absl::ParseCivilTime(form.date_of_birth, &born)) {
        return Respond(res, 400, SearchPage(v.viewer, form, nullptr, "Enter the date of birth as a date"));
      }
      request.set_family_name(form.family_name);
      request.set_given_name(form.given_name);
      request.mutable_date_of_birth()->set_year(static_cast<int32_t>(born.year()));
      request.mutable_date_of_birth()->set_month(born.month());
      request.mutable_date_of_birth()->set_day(born.day());
    }
    absl::StatusOr<v1::SearchChildrenResponse> found = hub.Search(v.who(), request);
    if (!found.ok()) {
      if (absl::IsInvalidArgument(found.status())) {
        return Respond(res, 400, SearchPage(v.viewer, form, nullptr, found.status().message()));
      }
      return Refused(res, v, found.status());
    }
    // One child found by an identifier: straight to their timeline.
    if (!form.identifier.empty() && found->children_size() == 1) {
      return Redirect(res, absl::StrCat("/child/timeline?id=", UrlEncode(found->children(0).child_id())));
    }
    Respond(res, 200, SearchPage(v.viewer, form, &*found, ""));
  }, {}));
  server.Get("/child/profile", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::ChildProfile> profile = hub.Profile(v.who(), Param(req, "id"));
    if (!profile.ok()) return Refused(res, v, profile.status());
    Respond(res, 200, ProfilePage(v.viewer, *profile));
  }, {}));
  server.Get("/child/episodes", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::GetEpisodesResponse> episodes = hub.Episodes(v.who(), Param(req, "id"));
    if (!episodes.ok()) return Refused(res, v, episodes.status());
    Respond(res, 200, EpisodesPage(v.viewer, *episodes));
  }, {}));
  server.Get("/child/timeline", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    TimelineFilters filters{.child = Param(req, "id"),
                            .agencies = Params(req, "agency"),
                            .kinds = Params(req, "kind"),
                            .from = Param(req, "from"),
                            .to = Param(req, "to")};
    for (absl::string_view id : absl::StrSplit(Param(req, "events"), ',', absl::SkipEmpty())) {
      filters.event_ids.emplace_back(id);
    }
    v1::GetChronologyRequest request;
    request.set_child(filters.child);
    for (const std::string& a : filters.agencies) request.add_agency_ids(a);
    for (const std::string& k : filters.kinds) request.add_kinds(k);
    if (!filters.from.empty() && !DayStart(filters.from, 0, request.mutable_from())) {
      return Respond(res, 400, ErrorPage(&v.viewer, 400, "From: enter a date"));
    }
    if (!filters.to.empty() && !DayStart(filters.to, 1, request.mutable_to())) {
      return Respond(res, 400, ErrorPage(&v.viewer, 400, "To: enter a date"));
    }
    absl::StatusOr<v1::GetChronologyResponse> chronology = hub.Chronology(v.who(), request);
    if (!chronology.ok()) return Refused(res, v, chronology.status());
    absl::StatusOr<v1::GetEpisodesResponse> episodes = hub.Episodes(v.who(), filters.child);
    if (!episodes.ok()) return Refused(res, v, episodes.status());
    if (!filters.event_ids.empty()) {  // an alert's causes only
      auto* entries = chronology->mutable_entries();
      for (int i = entries->size() - 1; i >= 0; --i) {
        if (std::find(filters.event_ids.begin(), filters.event_ids.end(), entries->Get(i).event().event_id()) ==
            filters.event_ids.end()) {
          entries->DeleteSubrange(i, 1);
        }
      }
    }
    Respond(res, 200, TimelinePage(v.viewer, *chronology, *episodes, filters, Param(req, "print") == "1"));
  }, {}));
}

void WebServer::Impl::AlertRoutes() {
  server.Get("/alerts", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    AlertFilters filters{.state = Param(req, "state").empty() ? "open" : Param(req, "state"),
                         .rule = Param(req, "rule"),
                         .severity = Param(req, "severity"),
                         .child = Param(req, "child"),
                         .page = Param(req, "page")};
    v1::ListAlertsRequest request;
    request.set_child(filters.child);
    if (!filters.rule.empty()) request.add_rule_ids(filters.rule);
    if (!filters.severity.empty()) request.add_severities(filters.severity);
    if (filters.state == "open") {
      request.set_open_only(true);
    } else if (filters.state != "all") {
      v1::AlertState state;
      if (!v1::AlertState_Parse(absl::StrCat("ALERT_STATE_", absl::AsciiStrToUpper(filters.state)), &state)) {
        return Respond(res, 400, ErrorPage(&v.viewer, 400, "State: choose one of the states listed"));
      }
      request.add_states(state);
    }
    request.set_page_size(50);
    request.set_page_token(filters.page);
    absl::StatusOr<v1::ListAlertsResponse> alerts = hub.Alerts(v.who(), request);
    if (!alerts.ok()) return Refused(res, v, alerts.status());
    Respond(res, 200, AlertsPage(v.viewer, *alerts, filters, Param(req, "notice")));
  }, {}));
  server.Get("/alerts/records", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::AlertRecordsResponse> records = hub.AlertRecords(v.who(), Param(req, "id"));
    if (!records.ok()) return Refused(res, v, records.status());
    Respond(res, 200, AlertRecordsPage(v.viewer, records->alert(), {records->entries().begin(), records->entries().end()}));
  }, {}));
  server.Post("/alerts/act", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const std::string action = Param(req, "action");
    const std::string reason(absl::StripAsciiWhitespace(Param(req, "reason")));
    if (action != "ack" && action != "close") return Respond(res, 400, ErrorPage(&v.viewer, 400, "Unknown action"));
    if (action == "close" && reason.empty()) {
      return Respond(res, 400, ErrorPage(&v.viewer, 400, "Say why you are closing the alert."));
    }
    absl::StatusOr<v1::Alert> alert = hub.ActOnAlert(v.who(), Param(req, "id"), action == "close", reason);
    if (!alert.ok()) return Refused(res, v, alert.status());
    Redirect(res, absl::StrCat("/alerts?notice=", UrlEncode(absl::StrCat(action == "close" ? "Closed " : "Acknowledged ",
                                                                         alert->rule_id(), " for ", alert->child_id()))));
  }, {.changes = true}));
  // Live updates for the queue: the alert feed after the list's cursor (or the browser's
  // Last-Event-ID after a drop), each update the row as it now stands.
  server.Get("/alerts/events", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    v1::StreamAlertsRequest request;
    request.set_cursor(req.has_header("Last-Event-ID") ? req.get_header_value("Last-Event-ID") : Param(req, "cursor"));
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream", [this, request, visit = v](size_t, httplib::DataSink& sink) {
          const std::string hello = "retry: 3000\n: connected\n\n";
          if (!sink.write(hello.data(), hello.size())) return false;
          const absl::Status ended = hub.StreamAlerts(
              visit.who(), request,
              [&](const v1::AlertUpdate& u) {
                const std::string data = json::ObjectWriter()
                                             .Set("id", u.alert().alert_id())
                                             .Set("rule", u.alert().rule_id())
                                             .Set("child", u.alert().child_id())
                                             .Set("state", EnumWords(v1::AlertState_Name(u.alert().state()), "ALERT_STATE_"))
                                             .Set("row", AlertRow(visit.viewer, u.alert()))
                                             .Dump();
                const std::string message = absl::StrCat("id: ", u.cursor(), "\nevent: alert\ndata: ", data, "\n\n");
                return sink.write(message.data(), message.size());
              },
              [&] { return stopping.load() || !sink.is_writable(); });
          if (!ended.ok()) {
            const std::string message = absl::StrCat(
                "event: failed\ndata: ", json::ObjectWriter().Set("message", ended.message()).Dump(), "\n\n");
            sink.write(message.data(), message.size());
          }
          sink.done();
          return true;
        });
  }, {}));
}

void WebServer::Impl::AdminRoutes() {
  server.Get("/matches", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::ListProbableMatchesResponse> matches = hub.Matches(v.who());
    if (!matches.ok()) return Refused(res, v, matches.status());
    Respond(res, 200, MatchesPage(v.viewer, *matches, Param(req, "notice"), ""));
  }, {}));
  server.Post("/matches/decide", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    v1::DecideMatchRequest request;
    request.set_identifier_a(Param(req, "a"));
    request.set_identifier_b(Param(req, "b"));
    request.set_reason(std::string(absl::StripAsciiWhitespace(Param(req, "reason"))));
    const std::string decision = Param(req, "decision");
    request.set_decision(decision == "link" ? v1::IdentityDecision::DECISION_LINK : v1::IdentityDecision::DECISION_SEPARATE);
    if ((decision != "link" && decision != "separate") || request.reason().empty()) {
      absl::StatusOr<v1::ListProbableMatchesResponse> matches = hub.Matches(v.who());
      if (!matches.ok()) return Refused(res, v, matches.status());
      return Respond(res, 400, MatchesPage(v.viewer, *matches, "", "Say why: what you checked, and with whom."));
    }
    absl::StatusOr<v1::DecideMatchResponse> decided = hub.Decide(v.who(), request);
    if (!decided.ok()) return Refused(res, v, decided.status());
    Redirect(res, absl::StrCat("/matches?notice=",
                               UrlEncode(absl::StrCat(decision == "link" ? "Linked " : "Kept separate: ", request.identifier_a(),
                                                      " and ", request.identifier_b()))));
  }, {.changes = true}));
  server.Get("/access", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    v1::ListAccessRequest request;
    request.set_child(Param(req, "child"));
    request.set_subject(Param(req, "subject"));
    request.set_page_size(500);
    absl::StatusOr<v1::ListAccessResponse> entries = hub.Access(v.who(), request);
    if (!entries.ok()) return Refused(res, v, entries.status());
    Respond(res, 200, AccessPage(v.viewer, *entries, request.child(), request.subject()));
  }, {.asks_purpose = false}));
  server.Get("/verify", Guard([this](const httplib::Request&, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::VerifyAccessLogResponse> result = hub.VerifyLog(v.who());
    if (!result.ok()) return Refused(res, v, result.status());
    Respond(res, 200, VerifyPage(v.viewer, *result));
  }, {.asks_purpose = false}));
}

namespace {

// The report form from the query string; an empty period is this calendar year to today.
ReportForm ReportFormOf(const httplib::Request& req, absl::Time now) {
  const absl::TimeZone uk = [] {
    absl::TimeZone z;
    return absl::LoadTimeZone("Europe/London", &z) ? z : absl::UTCTimeZone();
  }();
  const absl::CivilDay today = absl::ToCivilDay(now, uk);
  ReportForm f{.name = Param(req, "name"), .from = Param(req, "from"), .to = Param(req, "to"),
               .authority = Param(req, "authority"), .as_at = Param(req, "as_at")};
  if (f.from.empty()) f.from = absl::FormatCivilTime(absl::CivilDay(today.year(), 1, 1));
  if (f.to.empty()) f.to = absl::FormatCivilTime(today);
  return f;
}

// A report or return request (both carry name, authority, from, to and as_at) from the form, or
// what is wrong with it. An empty as-at is left unset: now.
template <typename Request>
absl::Status FillReportRequest(const ReportForm& f, Request* request) {
  request->set_name(f.name);
  request->set_authority(f.authority);
  for (const auto& [text, out, what] : {std::tuple{&f.from, request->mutable_from(), "From"},
                                        std::tuple{&f.to, request->mutable_to(), "To"}}) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(*text, &day)) {
      return absl::InvalidArgumentError(absl::StrCat(what, " must be a date, like 2026-01-31"));
    }
    out->set_year(static_cast<int32_t>(day.year()));
    out->set_month(day.month());
    out->set_day(day.day());
  }
  if (!f.as_at.empty()) {
    absl::Time t;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, f.as_at, &t, &error)) {
      return absl::InvalidArgumentError("As at must be a time like 2026-12-01T09:00:00Z, or empty for now");
    }
    *request->mutable_as_at() = ToProtoTime(t);
  }
  return absl::OkStatus();
}

}  // namespace

// The what-if form from a request; the period defaults to the last full year.
WhatIfForm WhatIfFormOf(const httplib::Request& req, absl::Time now) {
  const absl::CivilYear last_year = absl::ToCivilYear(now, absl::UTCTimeZone()) - 1;
  WhatIfForm form{.proposed = Param(req, "proposed"), .from = Param(req, "from"), .to = Param(req, "to")};
  if (form.from.empty()) form.from = absl::FormatCivilTime(absl::CivilDay(last_year));
  if (form.to.empty()) form.to = absl::FormatCivilTime(absl::CivilDay(last_year.year(), 12, 31));
  return form;
}

void WebServer::Impl::RulesRoutes() {
  // The rules and counts disclose no child; a coordinator who gave a purpose is told which of
  // their children would have had a meeting under one set only (the hub decides and logs it).
  server.Get("/rules", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::ListRulesResponse> rules = hub.ListRules(v.who());
    if (!rules.ok()) return Refused(res, v, rules.status());
    Respond(res, 200, RulesPage(v.viewer, *rules, WhatIfFormOf(req, clock.Now()), nullptr, ""));
  }, {.asks_purpose = false}));
  // A POST (a rules file is too long for a link), but it changes nothing: the form still carries
  // the CSRF token, as every POST here does.
  server.Post("/rules/what-if", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::ListRulesResponse> rules = hub.ListRules(v.who());
    if (!rules.ok()) return Refused(res, v, rules.status());
    const WhatIfForm form = WhatIfFormOf(req, clock.Now());
    v1::WhatIfRequest request;
    request.set_proposed_rules(form.proposed);
    std::string error;
    for (const auto& [text, out, what] : {std::tuple{&form.from, request.mutable_from(), "From"},
                                          std::tuple{&form.to, request.mutable_to(), "To"}}) {
      absl::CivilDay day;
      if (!absl::ParseCivilTime(*text, &day)) {
        error = absl::StrCat(what, " must be a date, like 2026-01-31");
        continue;
      }
      out->set_year(static_cast<int32_t>(day.year()));
      out->set_month(day.month());
      out->set_day(day.day());
    }
    if (form.proposed.empty()) error = "Paste the proposed rules: a whole rules file, as config/rules.json";
    if (!error.empty()) return Respond(res, 400, RulesPage(v.viewer, *rules, form, nullptr, error));
    absl::StatusOr<v1::WhatIfResponse> result = hub.WhatIf(v.who(), request);
    if (!result.ok() && result.status().code() == absl::StatusCode::kInvalidArgument) {
      return Respond(res, 400, RulesPage(v.viewer, *rules, form, nullptr, result.status().message()));
    }
    if (!result.ok()) return Refused(res, v, result.status());
    Respond(res, 200, RulesPage(v.viewer, *rules, form, &*result, ""));
  }, {.asks_purpose = false, .changes = true}));
}

void WebServer::Impl::ReportRoutes() {
  // Aggregate reports disclose no child: no purpose is asked (the hub still logs every run).
  server.Get("/reports", Guard([this](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    absl::StatusOr<v1::ListReportsResponse> reports = hub.ListReports(v.who());
    if (!reports.ok()) return Refused(res, v, reports.status());
    Respond(res, 200, ReportsPage(v.viewer, *reports, ReportFormOf(req, clock.Now())));
  }, {.asks_purpose = false}));
  const auto run = [this](const Visit& v, const ReportForm& form) -> absl::StatusOr<v1::Report> {
    v1::RunReportRequest request;
    if (absl::Status s = FillReportRequest(form, &request); !s.ok()) return s;
    return hub.RunReport(v.who(), request);
  };
  server.Get("/reports/run", Guard([this, run](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const ReportForm form = ReportFormOf(req, clock.Now());
    absl::StatusOr<v1::Report> report = run(v, form);
    if (!report.ok()) return Refused(res, v, report.status());
    Respond(res, 200, ReportPage(v.viewer, *report, form));
  }, {.asks_purpose = false}));
  server.Get("/reports/download", Guard([this, run](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const ReportForm form = ReportFormOf(req, clock.Now());
    absl::StatusOr<v1::Report> report = run(v, form);
    if (!report.ok()) return Refused(res, v, report.status());
    res.set_header("Content-Disposition",
                   absl::StrCat("attachment; filename=\"", report->name(), "_", form.from, "_", form.to, ".csv\""));
    res.set_content(ReportCsv(*report), "text/csv; charset=utf-8");
  }, {.asks_purpose = false}));
  // The statutory returns list children: the purpose is asked first, as for a child's records.
  const auto make_return = [this](const Visit& v, const ReportForm& form) -> absl::StatusOr<v1::StatutoryReturn> {
    v1::RunStatutoryReturnRequest request;
    if (absl::Status s = FillReportRequest(form, &request); !s.ok()) return s;
    return hub.RunReturn(v.who(), request);
  };
  server.Get("/reports/return", Guard([this, make_return](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const ReportForm form = ReportFormOf(req, clock.Now());
    absl::StatusOr<v1::StatutoryReturn> ret = make_return(v, form);
    if (!ret.ok()) return Refused(res, v, ret.status());
    Respond(res, 200, ReturnPage(v.viewer, *ret, form));
  }, {}));
  server.Get("/reports/return.csv", Guard([this, make_return](const httplib::Request& req, httplib::Response& res, const Visit& v) {
    const ReportForm form = ReportFormOf(req, clock.Now());
    absl::StatusOr<v1::StatutoryReturn> ret = make_return(v, form);
    if (!ret.ok()) return Refused(res, v, ret.status());
    res.set_header("Content-Disposition", absl::StrCat("attachment; filename=\"", ret->file_name(), "\""));
    res.set_content(ReturnCsv(*ret), "text/csv; charset=utf-8");
  }, {}));
}

void WebServer::Impl::Routes() {
  SignInRoutes();
  ChildRoutes();
  AlertRoutes();
  AdminRoutes();
  ReportRoutes();
  RulesRoutes();
  server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (absl::StartsWith(req.path, "/static/") || absl::StartsWith(req.path, "/govuk/")) {
      res.set_header("Cache-Control", "public, max-age=3600");
    }
    SecurityHeaders(res);
  });
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 404 && res.body.empty()) Respond(res, 404, ErrorPage(nullptr, 404, "There is no such page."));
  });
  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_started = absl::Now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    const std::string route = RouteOf(req);
    metrics
        .GetCounter("homeward_web_requests_total", "Requests the web workspace answered, by route and HTTP status",
                    {{"route", route}, {"code", absl::StrCat(res.status)}})
        .Increment();
    if (request_started.has_value() && route != "/alerts/events") {  // a live stream lasts as long as its page
      metrics
          .GetHistogram("homeward_web_request_duration_seconds",
                        "Time to answer a web request (the hub's calls included), by route", metrics::LatencyBuckets(),
                        {{"route", route}})
          .Observe(absl::ToDoubleSeconds(absl::Now() - *request_started));
    }
    request_started.reset();
  });
  session_count = metrics.AddCollector([this] {
    metrics.GetGauge("homeward_web_sessions", "People signed in to the web workspace").Set(sessions.size());
  });
}

WebServer::WebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WebServer::~WebServer() { Stop(); }

absl::StatusOr<std::unique_ptr<WebServer>> WebServer::Start(const WebOptions& options, HubClient& hub,
                                                            const Clock& clock) {
  for (const std::string* path : {&options.cert, &options.key, &options.static_dir, &options.govuk_dir}) {
    if (!std::filesystem::exists(*path)) return absl::NotFoundError(absl::StrCat("web: cannot find ", *path));
  }
  auto impl = std::make_unique<Impl>(options, hub, clock);
  if (!impl->server.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("web: the certificate ", options.cert, " or key cannot be used"));
  }
  if (!options.demo_tokens_dir.empty()) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(options.demo_tokens_dir, ec)) {
      if (entry.path().extension() == ".token") impl->demo_people.push_back(entry.path().stem().string());
    }
    std::sort(impl->demo_people.begin(), impl->demo_people.end());
  }
  impl->server.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(threads); };
  impl->server.set_socket_options(ListenExclusively);  // a second workspace on the port is refused
  impl->server.set_mount_point("/static", options.static_dir);
  impl->server.set_mount_point("/govuk", options.govuk_dir);
  impl->server.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
  impl->server.set_file_extension_and_mimetype_mapping("svg", "image/svg+xml");
  impl->Routes();
  impl->port = options.port == 0 ? impl->server.bind_to_any_port(options.host)
                                 : (impl->server.bind_to_port(options.host, options.port) ? options.port : -1);
  if (impl->port <= 0) {
    return absl::UnavailableError(absl::StrCat("web: cannot listen on ", options.host, ":", options.port));
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->server.listen_after_bind(); });
  return std::unique_ptr<WebServer>(new WebServer(std::move(impl)));
}

int WebServer::port() const { return impl_->port; }

void WebServer::Stop() {
  if (impl_ == nullptr || impl_->stopping.exchange(true)) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace homeward::web
