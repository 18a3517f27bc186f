// File: commands.h
//
// The `homeward` subcommands. Each returns the process exit status.
#ifndef HOMEWARD_SERVICES_CLI_COMMANDS_H_
#define HOMEWARD_SERVICES_CLI_COMMANDS_H_

#include <string>

namespace homeward::cli {

int Chronology(const std::string& child);
int Episodes(const std::string& child);
int Profile(const std::string& child);
// The child's Philomena profile (issue 16): carers any time; the force handling an open episode.
int Philomena(const std::string& child);
// `query` is an identifier, or "FAMILY,GIVEN,YYYY-MM-DD" / "FAMILY,,YYYY-MM-DD".
int Search(const std::string& query);
int Matches();
int Decide(const std::string& a, const std::string& b, bool link);
int Health();
int Alerts();
int ActOnAlert(const std::string& alert_id, bool close);
int Access();
int VerifyLog();
int Purge(const std::string& child);
// Operations (administrators; status also auditors).
int Status();
int Gaps();
int AcceptGap(const std::string& topic_partition);
// Reports (report viewers, coordinators): `name` empty lists them.
int Report(const std::string& name);
// The risk rules (report viewers, coordinators): "list" (or ""), "what-if", "history".
int Rules(const std::string& what);

}  // namespace homeward::cli

#endif  // HOMEWARD_SERVICES_CLI_COMMANDS_H_
