#include "services/web/session.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace homeward::web {

bool SameSecret(const std::string& a, const std::string& b) {
  unsigned char differ = a.size() == b.size() ? 0 : 1;
  const std::string& longer = a.size() >= b.size() ? a : b;
  for (size_t i = 0; i < longer.size(); ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    differ |= static_cast<unsigned char>(x ^ y);
  }
  return differ == 0;
}

std::string SessionStore::NewSecret() { return absl::BytesToHexString(random_(32)); }

void SessionStore::ForgetExpired(absl::Time now) {
  absl::erase_if(sessions_, [&](const auto& entry) {
    const Session& s = entry.second;
    return now - s.last_seen >= options_.idle_expiry || now >= s.person.expires_at;
  });
}

absl::StatusOr<Session> SessionStore::Start(std::string token, Person person,
                                            std::map<std::string, std::string> lawful_bases) {
  const absl::Time now = clock_.Now();
  Session s{.id = NewSecret(),
            .csrf = NewSecret(),
            .token = std::move(token),
            .person = std::move(person),
            .lawful_bases = std::move(lawful_bases),
            .last_seen = now};
  absl::MutexLock lock(&mu_);
  if (sessions_.size() >= options_.max_sessions) ForgetExpired(now);
  if (sessions_.size() >= options_.max_sessions) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the workspace has ", sessions_.size(), " people signed in, its most: try again later"));
  }
  sessions_[s.id] = s;
  return s;
}

std::optional<Session> SessionStore::Find(const std::string& id) {
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  Session& s = it->second;
  if (now - s.last_seen >= options_.idle_expiry || now >= s.person.expires_at) {
    sessions_.erase(it);
    return std::nullopt;
  }
  s.last_seen = now;
  return s;
}

absl::Status SessionStore::SetPurpose(const std::string& id, const std::string& purpose,
                                      const std::string& lawful_basis) {
  if (purpose.empty() || purpose.size() > 500) {
    return absl::InvalidArgumentError("say why you are looking, in up to 500 characters");
  }
  absl::MutexLock lock(&mu_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return absl::NotFoundError("your session has ended: sign in again");
  if (!it->second.lawful_bases.contains(lawful_basis)) {
    return absl::InvalidArgumentError("choose the lawful basis for this access");
  }
  it->second.purpose = purpose;
  it->second.lawful_basis = lawful_basis;
  return absl::OkStatus();
}

void SessionStore::End(const std::string& id) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(id);
}

size_t SessionStore::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace homeward::web
