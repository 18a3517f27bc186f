// File: session.h
//
// Signed-in people of the web workspace (issue 13). A person signs in with their access token;
// the hub says who they are (AccountService.WhoAmI); the workspace keeps a session for them,
// named by a random id in a cookie (HttpOnly, Secure, SameSite=Strict). The session holds the
// token, with which every page calls the hub on the person's behalf, and the purpose and lawful
// basis the person gave once, which every call carries to the access log.
//
// A session ends when its person signs out, after `idle_expiry` without a request, or when the
// token expires; nothing of it is kept. Each session has its own CSRF token, which every form
// that changes anything must return (SameSecret).
//
// Thread safety: safe for concurrent use.
#ifndef HOMEWARD_SERVICES_WEB_SESSION_H_
#define HOMEWARD_SERVICES_WEB_SESSION_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace homeward::web {

// Who the hub says the person is.
struct Person {
  std::string subject;
  std::string role;  // "coordinator", "duty_team", "auditor", "administrator"
  std::string agency;
  std::string authority;
  std::string team;
  absl::Time expires_at = absl::InfiniteFuture();  // the token's
};

struct Session {
  std::string id;     // the cookie's value: 32 random bytes, hex
  std::string csrf;   // 32 random bytes, hex: returned by every form that changes anything
  std::string token;  // the person's access token
  Person person;
  std::map<std::string, std::string> lawful_bases;  // code -> description, to choose from
  std::string purpose;       // "" until given
  std::string lawful_basis;  // "" until given
  absl::Time last_seen;
};

struct SessionOptions {
  absl::Duration idle_expiry = absl::Minutes(15);
  size_t max_sessions = 10000;  // past it, a sign-in is refused (RESOURCE_EXHAUSTED)
};

class SessionStore {
 public:
  // Returns `n` bytes from a cryptographically secure source (OpenSSL's RAND_bytes in the server).
  using RandomBytes = std::function<std::string(size_t n)>;

  SessionStore(const Clock& clock, RandomBytes random, SessionOptions options = {})
      : clock_(clock), random_(std::move(random)), options_(options) {}

  // A new session for a person the hub has vouched for. RESOURCE_EXHAUSTED when full.
  absl::StatusOr<Session> Start(std::string token, Person person, std::map<std::string, std::string> lawful_bases)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The live session named `id`, seen now; nullopt (and forgotten) if unknown, idle too long or
  // its token has expired.
  std::optional<Session> Find(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);
  // Records the purpose and lawful basis (one of the session's lawful bases). INVALID_ARGUMENT
  // for an empty or overlong purpose (500 bytes) or an unknown basis; NOT_FOUND for no session.
  absl::Status SetPurpose(const std::string& id, const std::string& purpose, const std::string& lawful_basis)
      ABSL_LOCKS_EXCLUDED(mu_);
  void End(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);
  size_t size() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::string NewSecret();
  void ForgetExpired(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const RandomBytes random_;
  const SessionOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);
};

// Compares two secrets in time that does not depend on where they differ.
bool SameSecret(const std::string& a, const std::string& b);

}  // namespace homeward::web

#endif  // HOMEWARD_SERVICES_WEB_SESSION_H_
