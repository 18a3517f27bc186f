// homeward: the coordinators' and duty teams' command line.
//
// Every command is a row of kCommands: its name, arguments, what it does, who may use it, and
// the options it takes; `homeward --help`, `homeward help <command>` and `<command> --help` are
// printed from the table and from the options' own help text, so they cannot drift apart.
// An option another command takes is refused here rather than silently ignored.
//
// Exit status: 0 ok; 1 an error the hub reported (or an integrity check failed); 2 usage;
// 3 refused (not signed in, or not allowed); 4 not found.
#include <algorithm>
#include <functional>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "services/cli/cli_common.h"
#include "services/cli/commands.h"

namespace homeward::cli {
namespace {

using Args = std::vector<std::string>;

struct Command {
  const char* name;
  const char* args;     // e.g. "<child>"
  size_t min_args, max_args;
  const char* summary;  // one line
  const char* who;      // the roles that may use it
  std::vector<const char*> options;
  std::function<int(const Args&)> run;
  const char* more = "";  // details and examples
};

// Options every command takes.
const std::vector<const char*> kCommonOptions = {"json", "tz", "server", "tls_dir", "client", "token_file",
                                                 "purpose", "lawful_basis"};

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"chronology", "<child>", 1, 1, "one child's records from every agency, in event-time order", "coordinators",
       {"from", "to", "agency", "kind"}, [](const Args& a) { return Chronology(a[0]); },
       "  homeward chronology la:coventry/LA-7003 --from=2026-09-01 --kind=missing-reported,found-returned\n"},
      {"episodes", "<child>", 1, 1, "the child's missing episodes, each reconciled from every agency's record of it",
       "coordinators", {}, [](const Args& a) { return Episodes(a[0]); }},
      {"profile", "<child>", 1, 1, "identifiers, placement, risk summary and open alerts", "coordinators", {},
       [](const Args& a) { return Profile(a[0]); }},
      {"philomena", "<child>", 1, 1, "the Philomena profile the child's carer keeps (description, photo, places...)",
       "the child's carers; the police force handling an open missing episode of the child", {},
       [](const Args& a) { return Philomena(a[0]); },
       "  A police officer or missing-person unit reads it from the force's missing report until the\n"
       "  child is found, and is told PERMISSION_DENIED before and after, or for another force's\n"
       "  episode. The release is notified on the force's alert stream (homeward alerts --team=<force>).\n"
       "  Every read and refusal is on the access log (docs/philomena.md).\n"
       "  homeward philomena nhs:9990001014 --purpose=\"missing report MP-1\"\n"},
      {"search", "<identifier | FAMILY,GIVEN,YYYY-MM-DD>", 1, 1, "find a child by an identifier, or by name and birth",
       "coordinators", {}, [](const Args& a) { return Search(a[0]); },
       "  homeward search nhs:9990001014\n  homeward search \"Testchild,,2011-03-14\"   (given name may be empty)\n"},
      {"matches", "", 0, 0, "records that agree only on name and date of birth, for a decision", "administrators", {},
       [](const Args&) { return Matches(); }},
      {"link", "<identifier> <identifier>", 2, 2, "record that two records are the same child", "administrators",
       {"reason"}, [](const Args& a) { return Decide(a[0], a[1], true); },
       "  Nothing is recorded if they are already one child.\n"},
      {"separate", "<identifier> <identifier>", 2, 2, "record that two records are not the same child",
       "administrators", {"reason"}, [](const Args& a) { return Decide(a[0], a[1], false); }},
      {"alerts", "", 0, 0, "the alerts the risk rules raised, a page at a time, most urgent first",
       "duty teams, coordinators",
       {"open", "state", "team", "authority", "child", "rule", "severity", "page_size", "page", "all", "brief", "follow",
        "cursor", "cursor_file", "from_start"},
       [](const Args&) { return Alerts(); },
       "  Sorted by severity (strategy meeting, escalation, compliance, notification, data quality), then\n"
       "  newest first. --follow prints alerts as they are raised or change, from now (or after --cursor,\n"
       "  or where --cursor_file says, saving each cursor there), reconnecting by itself.\n"
       "  homeward alerts --open --team=missing-children-duty\n"
       "  homeward alerts --follow --brief --cursor_file=~/.homeward-alerts.cursor\n"},
      {"ack", "<alert id>", 1, 1, "acknowledge an alert: you have seen it", "duty teams, coordinators", {"reason"},
       [](const Args& a) { return ActOnAlert(a[0], false); }},
      {"close", "<alert id>", 1, 1, "close an alert, saying why", "duty teams, coordinators", {"reason"},
       [](const Args& a) { return ActOnAlert(a[0], true); }},
      {"access", "", 0, 0, "who looked at what: the access log", "auditors; coordinators for one child",
       {"child", "subject"}, [](const Args&) { return Access(); }},
      {"verify-log", "", 0, 0, "check that the access log is sealed, anchored and intact", "auditors", {},
       [](const Args&) { return VerifyLog(); }},
      {"purge", "<child>", 1, 1, "forget a child's records (retention), on every replica", "administrators",
       {"reason"}, [](const Args& a) { return Purge(a[0]); }},
      {"status", "", 0, 0, "ingestion: serving or why not, counters, gaps", "administrators, auditors", {},
       [](const Args&) { return Status(); }},
      {"gaps", "[accept <topic>/<partition>]", 0, 2, "gaps in the log; accept one after re-importing its period",
       "administrators", {"reason"},
       [](const Args& a) {
         if (a.empty()) return Gaps();
         if (a.size() == 2 && a[0] == "accept") return AcceptGap(a[1]);
         std::cerr << "usage: homeward gaps [accept <topic>/<partition> --reason=<why>]\n";
         return 2;
       }},
      {"report", "[<name>]", 0, 1, "partnership reports and statutory returns, from the log as at a time",
       "report viewers and coordinators; the statutory returns, coordinators of their authority",
       {"from", "to", "authority", "as_at", "csv"}, [](const Args& a) { return Report(a.empty() ? "" : a[0]); },
       "  Without a name, lists the reports. Figures are counts, rates and medians; counts below the\n"
       "  hub's threshold (5) show as <5. The header says the as-at time: --as_at with it gives the same\n"
       "  figures again. ssda903-missing and annex-a-missing print the return as CSV (findings on stderr).\n"
       "  homeward report rhi-compliance --from=2026-01-01 --to=2026-12-31\n"
       "  homeward report episodes --from=2026-04-01 --to=2027-03-31 --authority=coventry --csv\n"
       "  homeward report ssda903-missing --from=2026-04-01 --to=2027-03-31 > missing.csv\n"},
      {"rules", "[list | what-if | history]", 0, 1, "the risk rules: in force, what a proposal would have raised, history",
       "report viewers and coordinators (children named only to coordinators, with a purpose)", {"rules", "from", "to"},
       [](const Args& a) { return Rules(a.empty() ? "" : a[0]); },
       "  list (the default): each rule, its parameters in force, what it looks for and its source.\n"
       "  what-if: replays the hub's log through a proposed rules file (nothing is published or\n"
       "  raised) and compares the alerts with the rules in force: per rule, the children, and how\n"
       "  much earlier or later; and the children who would have had a strategy meeting under one only.\n"
       "  history: every rule set the hub has run under, and what changed in each.\n"
       "  homeward rules what-if --rules=proposed.json --from=2026-01-01 --to=2026-12-31\n"},
      {"health", "", 0, 0, "whether the hub is serving (exit 0) or not (exit 1)", "anyone with credentials", {},
       [](const Args&) { return Health(); }},
  };
  return *commands;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& c : Commands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

void PrintOption(const char* name) {
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr) return;
  std::string line = absl::StrCat("  --", name);
  const std::string fallback = flag->DefaultValue();
  std::cout << line << std::string(line.size() < 18 ? 18 - line.size() : 1, ' ') << flag->Help()
            << (fallback.empty() || fallback == "false" ? "" : absl::StrCat(" (default ", fallback, ")")) << "\n";
}

void PrintCommonOptions() {
  std::cout << "\nOptions of every command:\n";
  for (const char* name : kCommonOptions) PrintOption(name);
}

void PrintOverview() {
  std::cout << "homeward: the shared picture of children who go missing, for the people who act on it.\n\n"
               "usage: homeward <command> [arguments] [options]\n\ncommands:\n";
  for (const Command& c : Commands()) {
    const std::string head = absl::StrCat("  ", c.name, c.args[0] ? " " : "", c.args);
    std::cout << head << std::string(head.size() < 46 ? 46 - head.size() : 1, ' ') << c.summary << "\n";
  }
  std::cout << "\n<child> is any identifier an agency uses: nhs:<NHS number>, la:<authority>/<LA child id>,\n"
               "police:<force>/<person id>, upn:<pupil number>, record:<agency>/<record>, or a hub child id.\n"
               "homeward help <command> (or homeward <command> --help) tells more about one command.\n";
  PrintCommonOptions();
  std::cout << "\nCredentials: mutual TLS (--tls_dir, --client) and your token (--token_file), with the purpose\n"
               "and lawful basis of what you look at; each also from $HOMEWARD_TLS_DIR, $HOMEWARD_CLIENT,\n"
               "$HOMEWARD_TOKEN_FILE, $HOMEWARD_PURPOSE, $HOMEWARD_LAWFUL_BASIS, $HOMEWARD_SERVER (README).\n"
               "Exit status: 0 ok, 1 error, 2 usage, 3 refused (not signed in, not allowed), 4 not found.\n";
}

void PrintCommandHelp(const Command& c) {
  std::string summary = c.summary;
  summary[0] = absl::ascii_toupper(summary[0]);
  std::cout << "usage: homeward " << c.name << (c.args[0] ? " " : "") << c.args << " [options]\n\n"
            << summary << ". For " << c.who << ".\n";
  if (c.more[0] != '\0') std::cout << "\n" << c.more;
  if (!c.options.empty()) {
    std::cout << "\nOptions:\n";
    for (const char* name : c.options) PrintOption(name);
  }
  PrintCommonOptions();
}

// Hidden, for shell completion (deploy/completion/homeward.bash): `homeward __complete` prints
// the commands, `homeward __complete <command>` that command's options, one a line ("--name="
// for an option that takes a value). Not in --help: people type the commands it lists.
int PrintCompletions(const std::string& command) {
  if (const Command* c = FindCommand(command)) {
    std::vector<const char*> names = c->options;
    names.insert(names.end(), kCommonOptions.begin(), kCommonOptions.end());
    names.push_back("help");
    for (const char* name : names) {
      const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
      std::cout << "--" << name << (flag != nullptr && !flag->IsOfType<bool>() ? "=" : "") << "\n";
    }
    return 0;
  }
  for (const Command& c : Commands()) std::cout << c.name << "\n";
  std::cout << "help\n";
  return 0;
}

// The option names given on the command line (before "--"), as written ("nojson" -> "json").
std::vector<std::string> GivenOptions(int argc, char** argv) {
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    arg.remove_prefix(arg[1] == '-' ? 2 : 1);
    std::string name(arg.substr(0, arg.find('=')));
    if (absl::FindCommandLineFlag(name) == nullptr && absl::StartsWith(name, "no") &&
        absl::FindCommandLineFlag(name.substr(2)) != nullptr) {
      name = name.substr(2);
    }
    names.push_back(std::move(name));
  }
  return names;
}

// The first argument that is not an option: the command.
std::string CommandWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] != '-') return argv[i];
  }
  return "";
}

// "--as-at=..." -> "--as_at=...": option names may be written with hyphens (flag names cannot).
std::vector<std::string> NormaliseOptionNames(int argc, char** argv) {
  std::vector<std::string> out;
  bool options = true;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") options = false;
    if (options && i > 0 && absl::StartsWith(arg, "--")) {
      const size_t end = std::min(arg.find('='), arg.size());
      std::replace(arg.begin() + 2, arg.begin() + static_cast<std::ptrdiff_t>(end), '-', '_');
    }
    out.push_back(std::move(arg));
  }
  return out;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage("homeward <command> [arguments] [options]; homeward --help lists the commands");
  const std::string word = CommandWord(argc, argv);
  if (word == "__complete") return PrintCompletions(argc > 2 ? argv[2] : "");
  const std::vector<std::string> given = GivenOptions(argc, argv);
  const auto asked = [&](std::initializer_list<const char*> names) {
    return std::any_of(given.begin(), given.end(), [&](const std::string& g) {
      return std::any_of(names.begin(), names.end(), [&](const char* n) { return g == n; });
    });
  };
  if (asked({"version"})) {
    std::cout << "homeward " << HOMEWARD_VERSION << "\n";
    return 0;
  }
  if (asked({"help", "h", "helpfull", "helpshort"}) || word == "help" || argc == 1) {
    std::string topic = word == "help" ? "" : word;
    if (word == "help") {  // homeward help <command>
      for (int i = 1; i < argc; ++i) {
        if (argv[i][0] != '-' && std::string(argv[i]) != "help") topic = argv[i];
      }
    }
    if (topic.empty()) {
      PrintOverview();
      return argc == 1 ? 2 : 0;  // no command at all is a usage error, after saying what there is
    }
    if (const Command* c = FindCommand(topic)) {
      PrintCommandHelp(*c);
      return 0;
    }
    std::cerr << "homeward: unknown command '" << topic << "' (homeward --help lists the commands)\n";
    return 2;
  }
  const Command* command = FindCommand(word);
  if (command == nullptr) {
    std::cerr << "homeward: unknown command '" << word << "' (homeward --help lists the commands)\n";
    return 2;
  }
  for (const std::string& name : given) {
    const auto named = [&](const std::vector<const char*>& list) {
      return std::any_of(list.begin(), list.end(), [&](const char* n) { return name == n; });
    };
    if (named(command->options) || named(kCommonOptions)) continue;
    std::cerr << "homeward " << command->name << ": --" << name
              << (absl::FindCommandLineFlag(name) == nullptr ? " is not an option" : " is not an option of this command")
              << " (homeward " << command->name << " --help lists them)\n";
    return 2;
  }
  const std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);  // [program, command, arguments...]
  const Args args(parsed.begin() + std::min<size_t>(2, parsed.size()), parsed.end());
  if (args.size() < command->min_args || args.size() > command->max_args) {
    std::cerr << "usage: homeward " << command->name << (command->args[0] ? " " : "") << command->args
              << " [options]   (homeward " << command->name << " --help)\n";
    return 2;
  }
  return command->run(args);
}

}  // namespace
}  // namespace homeward::cli

int main(int argc, char** argv) {
  std::vector<std::string> args = homeward::cli::NormaliseOptionNames(argc, argv);
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  return homeward::cli::Main(argc, pointers.data());
}
